#include "protocol/hex.h"

#include <gtest/gtest.h>

namespace sn44::protocol {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(Hex, EncodesLowercaseWithoutPrefix) {
  const Bytes bytes = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(to_hex(bytes), "000fa5ff");
  EXPECT_EQ(to_hex(Bytes()), "");
}

TEST(Hex, DecodesWithOrWithoutPrefixInEitherCase) {
  const Bytes expected = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(from_hex("000fa5ff"), expected);
  EXPECT_EQ(from_hex("0x000FA5fF"), expected);
  EXPECT_EQ(from_hex("0X000fa5ff"), expected);
}

// "0x" on its own is a header a client can send: no bytes, not an error and not undefined behaviour.
TEST(Hex, EmptyTextIsNoBytes) {
  EXPECT_EQ(from_hex(""), Bytes());
  EXPECT_EQ(from_hex("0x"), Bytes());
}

TEST(Hex, RefusesOddLengthsAndNonHexDigits) {
  EXPECT_EQ(from_hex("abc"), std::nullopt);
  EXPECT_EQ(from_hex("0x0"), std::nullopt);
  EXPECT_EQ(from_hex("zz"), std::nullopt);
  EXPECT_EQ(from_hex("0a 1"), std::nullopt);
  EXPECT_EQ(from_hex("0x0x00"), std::nullopt);
}

}  // namespace
}  // namespace sn44::protocol

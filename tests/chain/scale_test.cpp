#include "chain/scale.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "support/expect_error.h"

namespace sn44::chain {
namespace {

U128 compact_of(std::vector<uint8_t> bytes) {
  ScaleReader reader(bytes);
  const U128 value = reader.compact();
  EXPECT_EQ(reader.remaining(), 0u);
  return value;
}

TEST(Scale, CompactIntegersInAllFourModes) {
  // Values and encodings from the SCALE specification's examples.
  EXPECT_EQ(compact_of({0x00}), (U128{0, 0}));
  EXPECT_EQ(compact_of({0x04}), (U128{1, 0}));
  EXPECT_EQ(compact_of({0xa8}), (U128{42, 0}));
  EXPECT_EQ(compact_of({0xfc}), (U128{63, 0}));
  EXPECT_EQ(compact_of({0x01, 0x01}), (U128{64, 0}));
  EXPECT_EQ(compact_of({0x15, 0x01}), (U128{69, 0}));
  EXPECT_EQ(compact_of({0xfe, 0xff, 0x03, 0x00}), (U128{65535, 0}));
  EXPECT_EQ(compact_of({0x02, 0x00, 0x01, 0x00}), (U128{16384, 0}));
  EXPECT_EQ(compact_of({0x03, 0x00, 0x00, 0x00, 0x40}), (U128{1073741824, 0}));
  EXPECT_EQ(compact_of({0x13, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}), (U128{1ULL << 56, 0}));
  // 2^64 needs 9 bytes; u128::MAX needs all 16.
  EXPECT_EQ(compact_of({0x17, 0, 0, 0, 0, 0, 0, 0, 0, 1}), (U128{0, 1}));
  std::vector<uint8_t> max{0x33};
  max.insert(max.end(), 16, 0xff);
  EXPECT_EQ(compact_of(max), (U128{~0ULL, ~0ULL}));
}

TEST(Scale, FixedWidthIntegersAreLittleEndian) {
  const std::vector<uint8_t> data{0x2c, 0x00, 0x01, 0x02, 0x03, 0x04, 0x01};
  ScaleReader reader(data);
  EXPECT_EQ(reader.u16(), 44);
  EXPECT_EQ(reader.u32(), 0x04030201u);
  EXPECT_TRUE(reader.boolean());
}

TEST(Scale, MalformedInputIsAClearErrorNeverAnOverread) {
  testing::expect_error(ErrorKind::corrupt_data, "expected 2 more bytes", [] {
    const std::vector<uint8_t> data{0x01};
    ScaleReader(data).compact();
  });
  testing::expect_error(ErrorKind::corrupt_data, "over 128 bits", [] {
    const std::vector<uint8_t> data(20, 0xff);
    ScaleReader(data).compact();
  });
  testing::expect_error(ErrorKind::corrupt_data, "bool must be 0 or 1", [] {
    const std::vector<uint8_t> data{0x02};
    ScaleReader(data).boolean();
  });
  testing::expect_error(ErrorKind::corrupt_data, "Option tag", [] {
    const std::vector<uint8_t> data{0x07};
    ScaleReader(data).option();
  });
  // A vector claiming 2^30 items in a few bytes is refused before any allocation.
  testing::expect_error(ErrorKind::corrupt_data, "vector claims 1073741824 items", [] {
    const std::vector<uint8_t> data{0x03, 0x00, 0x00, 0x00, 0x40, 0x01, 0x02};
    ScaleReader(data).vector_length(1);
  });
}

}  // namespace
}  // namespace sn44::chain

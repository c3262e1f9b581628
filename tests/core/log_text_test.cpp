// Network text in the log: escaped and cut; repeated messages held back past a burst.

#include "core/log_text.h"

#include <gtest/gtest.h>

namespace sn44 {
namespace {

using std::chrono::seconds;

TEST(LogText, PrintableAsciiIsShownAsItIs) {
  EXPECT_EQ(log_text("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
  EXPECT_EQ(log_text(""), "");
}

TEST(LogText, OtherBytesAreEscapedSoTheyCannotForgeOrColourLines) {
  EXPECT_EQ(log_text("a\nb\x1b[31m\xff\\"), "a\\x0ab\\x1b[31m\\xff\\x5c");
  EXPECT_EQ(log_text(std::string("\0x", 2)), "\\x00x");
}

TEST(LogText, LongTextIsCutWithItsSizeSaid) {
  EXPECT_EQ(log_text(std::string(16384, 'k'), 4), "kkkk... (16384 bytes)");
  EXPECT_EQ(log_text("kkkk", 4), "kkkk");
}

TEST(LogThrottle, LetsABurstThroughPerWindowAndCountsTheRest) {
  LogThrottle throttle(2, seconds(10));
  const auto start = std::chrono::steady_clock::time_point() + seconds(100);
  EXPECT_EQ(throttle.admit(start), 0U);
  EXPECT_EQ(throttle.admit(start + seconds(1)), 0U);
  EXPECT_EQ(throttle.admit(start + seconds(2)), std::nullopt);
  EXPECT_EQ(throttle.admit(start + seconds(9)), std::nullopt);
  // A new window: the first one through says how many were held back.
  EXPECT_EQ(throttle.admit(start + seconds(10)), 2U);
  EXPECT_EQ(throttle.admit(start + seconds(11)), 0U);
  EXPECT_EQ(throttle.admit(start + seconds(12)), std::nullopt);
  EXPECT_EQ(throttle.admit(start + seconds(40)), 1U);
}

}  // namespace
}  // namespace sn44

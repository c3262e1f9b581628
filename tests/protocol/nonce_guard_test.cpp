#include "protocol/nonce_guard.h"

#include <gtest/gtest.h>

#include <vector>

namespace sn44::protocol {
namespace {

constexpr int64_t kNow = 1755200000000000000;
constexpr int64_t kSecond = 1'000'000'000;

std::string nonce_at(int64_t ns, const std::string& suffix = "AbCdEfGhIj") { return std::to_string(ns) + "_" + suffix; }

TEST(NonceGuard, AcceptsOnceAndRefusesTheReplay) {
  NonceGuard guard;
  EXPECT_EQ(guard.check(nonce_at(kNow), kNow), NonceVerdict::accepted);
  EXPECT_EQ(guard.check(nonce_at(kNow), kNow + kSecond), NonceVerdict::replayed);
  EXPECT_EQ(guard.check(nonce_at(kNow, "other"), kNow), NonceVerdict::accepted);
}

TEST(NonceGuard, TheWindowIsPlusOrMinus120SecondsInclusive) {
  NonceGuard guard;
  EXPECT_EQ(guard.check(nonce_at(kNow - 120 * kSecond, "a"), kNow), NonceVerdict::accepted);
  EXPECT_EQ(guard.check(nonce_at(kNow + 120 * kSecond, "b"), kNow), NonceVerdict::accepted);
  EXPECT_EQ(guard.check(nonce_at(kNow - 120 * kSecond - 1, "c"), kNow), NonceVerdict::outside_window);
  EXPECT_EQ(guard.check(nonce_at(kNow + 120 * kSecond + 1, "d"), kNow), NonceVerdict::outside_window);
}

TEST(NonceGuard, MalformedNonces) {
  NonceGuard guard;
  for (const std::string& nonce : std::vector<std::string>{"", "_abc", "abc_def", "12x4_abc", "-5_abc", "99999999999999999999999_a",
                                  "1755200000000000000_has space", std::string(65, '1')}) {
    EXPECT_EQ(guard.check(nonce, kNow), NonceVerdict::malformed) << nonce;
  }
  // The suffix is optional.
  EXPECT_EQ(guard.check(std::to_string(kNow), kNow), NonceVerdict::accepted);
}

TEST(NonceGuard, ForgetsNoncesOnceTheirTimestampLeavesTheWindow) {
  NonceGuard guard;
  ASSERT_EQ(guard.check(nonce_at(kNow), kNow), NonceVerdict::accepted);
  EXPECT_EQ(guard.size(), 1u);
  // Much later, the old nonce is outside the window anyway and its entry is gone.
  EXPECT_EQ(guard.check(nonce_at(kNow + 200 * kSecond, "new"), kNow + 200 * kSecond), NonceVerdict::accepted);
  EXPECT_EQ(guard.size(), 1u);
  EXPECT_EQ(guard.check(nonce_at(kNow), kNow + 200 * kSecond), NonceVerdict::outside_window);
}

TEST(NonceGuard, TheTableIsBounded) {
  NonceGuard guard(std::chrono::seconds(120), 3);
  for (const char* suffix : {"a", "b", "c"}) EXPECT_EQ(guard.check(nonce_at(kNow, suffix), kNow), NonceVerdict::accepted);
  EXPECT_EQ(guard.check(nonce_at(kNow, "d"), kNow), NonceVerdict::table_full);
  EXPECT_EQ(guard.size(), 3u);
}

TEST(NonceGuard, ScreeningAnswersAsCheckingWouldWithoutRememberingTheNonce) {
  NonceGuard guard(std::chrono::seconds(120), 2);
  EXPECT_EQ(guard.screen(nonce_at(kNow, "a"), kNow), NonceVerdict::accepted);
  EXPECT_EQ(guard.screen(nonce_at(kNow, "a"), kNow), NonceVerdict::accepted);
  EXPECT_EQ(guard.size(), 0u);
  EXPECT_EQ(guard.screen("yesterday", kNow), NonceVerdict::malformed);
  EXPECT_EQ(guard.screen(nonce_at(kNow - 121 * kSecond), kNow), NonceVerdict::outside_window);
  ASSERT_EQ(guard.check(nonce_at(kNow, "a"), kNow), NonceVerdict::accepted);
  EXPECT_EQ(guard.screen(nonce_at(kNow, "a"), kNow), NonceVerdict::replayed);
  ASSERT_EQ(guard.check(nonce_at(kNow, "b"), kNow), NonceVerdict::accepted);
  EXPECT_EQ(guard.screen(nonce_at(kNow, "c"), kNow), NonceVerdict::table_full);
  EXPECT_EQ(guard.size(), 2u);
}

}  // namespace
}  // namespace sn44::protocol

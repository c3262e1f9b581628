#include "scoring/combined_score.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sn44::scoring {
namespace {

TEST(SpeedScore, ExponentialAgainstTheFastestMiner) {
  EXPECT_DOUBLE_EQ(speed_score(5, 5, 12), 1.0);
  EXPECT_DOUBLE_EQ(speed_score(10, 5, 12), std::exp(-2.5));  // (10 - 5) / (15 - 5) = 0.5
  EXPECT_DOUBLE_EQ(speed_score(9, 9, 9), 1.0);               // everyone equally fast
}

TEST(CombinedScore, QualityAndSpeedWeights) {
  const CombinedScore fast = combine_scores(0.8, 0.6, 10, 5, 12);
  EXPECT_DOUBLE_EQ(fast.quality, 0.7);
  EXPECT_DOUBLE_EQ(fast.speed, std::exp(-2.5));
  EXPECT_DOUBLE_EQ(fast.final_score, 0.7 * 0.65 + std::exp(-2.5) * 0.35);
  EXPECT_DOUBLE_EQ(combine_scores(0.2, 1.0, 5, 5, 12).speed, 0.0);   // box score not over 0.2
  EXPECT_DOUBLE_EQ(combine_scores(0.9, 1.0, 15, 5, 16).speed, 0.0);  // at the time limit
}

}  // namespace
}  // namespace sn44::scoring

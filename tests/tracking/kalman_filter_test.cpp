#include "tracking/kalman_filter.h"

#include <gtest/gtest.h>

namespace sn44::tracking {
namespace {

// A box centred at (200, 100), aspect 0.5, height 100.
const Measurement kBox{200, 100, 0.5, 100};

TEST(KalmanFilter, InitiateScalesUncertaintyWithHeight) {
  const KalmanState state = KalmanFilter().initiate(kBox);
  EXPECT_EQ(state.mean.head<4>(), kBox);
  EXPECT_TRUE(state.mean.tail<4>().isZero());
  // Position std 2 * h / 20 = 10, aspect 1e-2, velocity std 10 * h / 160 = 6.25, aspect velocity 1e-5.
  EXPECT_DOUBLE_EQ(state.covariance(0, 0), 100);
  EXPECT_DOUBLE_EQ(state.covariance(2, 2), 1e-4);
  EXPECT_DOUBLE_EQ(state.covariance(3, 3), 100);
  EXPECT_DOUBLE_EQ(state.covariance(4, 4), 39.0625);
  EXPECT_DOUBLE_EQ(state.covariance(6, 6), 1e-10);
  EXPECT_DOUBLE_EQ(state.covariance(0, 1), 0);
}

TEST(KalmanFilter, PredictMovesByTheVelocityAndGrowsTheUncertainty) {
  const KalmanFilter filter;
  KalmanState state = filter.initiate(kBox);
  state.mean(4) = 3;  // 3 px per frame to the right
  const KalmanState next = filter.predict(state);
  EXPECT_DOUBLE_EQ(next.mean(0), 203);
  EXPECT_DOUBLE_EQ(next.mean(4), 3);
  // x: 100 + velocity variance 39.0625 + process noise (100 / 20)^2 = 25.
  EXPECT_DOUBLE_EQ(next.covariance(0, 0), 164.0625);
  // x and its velocity become correlated: 39.0625.
  EXPECT_DOUBLE_EQ(next.covariance(0, 4), 39.0625);
  // velocity: 39.0625 + (100 / 160)^2.
  EXPECT_DOUBLE_EQ(next.covariance(4, 4), 39.0625 + 0.390625);
}

TEST(KalmanFilter, UpdateMovesTowardsTheMeasurementByTheGain) {
  const KalmanFilter filter;
  const KalmanState predicted = filter.predict(filter.initiate(kBox));
  Measurement measured = kBox;
  measured(0) += 10;
  const KalmanState corrected = filter.update(predicted, measured);
  // Gain on x: P / (P + R) with P = 164.0625 and R = (100 / 20)^2 = 25.
  const double gain = 164.0625 / (164.0625 + 25);
  EXPECT_NEAR(corrected.mean(0), 200 + 10 * gain, 1e-9);
  EXPECT_NEAR(corrected.mean(1), 100, 1e-9);
  EXPECT_NEAR(corrected.covariance(0, 0), 164.0625 * (1 - gain), 1e-9);
  // The velocity learns from the innovation through the x/velocity covariance: 39.0625 / 189.0625.
  EXPECT_NEAR(corrected.mean(4), 10 * 39.0625 / 189.0625, 1e-9);
}

// One predict and one update worked by hand for a box centred at (120, 140), aspect 0.5, height 80,
// then measured 4 px right and 2 px down. With h = 80: initial std 2h/20 = 8 (positions, height)
// and 10h/160 = 5 (their velocities); process noise h/20 = 4 and h/160 = 0.5; measurement noise
// h/20 = 4, and 0.1 for the aspect ratio. supervision's KalmanFilter gives the same numbers
// (123.47107438016529, 0.8264462809917356, 13.884297520661164, 20.084710743801651 ...).
TEST(KalmanFilter, OneStepWorkedByHand) {
  const KalmanFilter filter;
  const KalmanState predicted = filter.predict(filter.initiate(Measurement{120, 140, 0.5, 80}));
  // Position variance 64 + velocity variance 25 + process noise 16; velocity 25 + 0.25.
  EXPECT_DOUBLE_EQ(predicted.covariance(0, 0), 105);
  EXPECT_DOUBLE_EQ(predicted.covariance(4, 4), 25.25);
  EXPECT_DOUBLE_EQ(predicted.covariance(0, 4), 25);
  // Aspect: 1e-4 + 1e-10 (its velocity) + 1e-4 (noise).
  EXPECT_DOUBLE_EQ(predicted.covariance(2, 2), 2.000001e-4);

  const KalmanState corrected = filter.update(predicted, Measurement{124, 142, 0.5, 80});
  // Innovation variance on x and y: 105 + 16 = 121.
  EXPECT_NEAR(corrected.mean(0), 120 + 4 * 105.0 / 121, 1e-12);
  EXPECT_NEAR(corrected.mean(1), 140 + 2 * 105.0 / 121, 1e-12);
  EXPECT_NEAR(corrected.mean(4), 4 * 25.0 / 121, 1e-12);
  EXPECT_NEAR(corrected.mean(5), 2 * 25.0 / 121, 1e-12);
  EXPECT_DOUBLE_EQ(corrected.mean(3), 80);
  EXPECT_NEAR(corrected.covariance(0, 0), 105 - 105.0 * 105 / 121, 1e-12);
  EXPECT_NEAR(corrected.covariance(0, 4), 25 - 105.0 * 25 / 121, 1e-12);
  EXPECT_NEAR(corrected.covariance(4, 4), 25.25 - 25.0 * 25 / 121, 1e-12);
  const double aspect = 2.000001e-4;
  EXPECT_NEAR(corrected.covariance(2, 2), aspect - aspect * aspect / (aspect + 1e-2), 1e-15);
  EXPECT_NEAR(corrected.covariance(2, 2), 1.9607852748942622e-04, 1e-15);
}

// supervision's KalmanFilter.multi_predict on a state that is still the float32 first measurement
// (height float32(81.7)) computes the motion noise in float32; run once, it gives these covariances.
// The double computation (the reference's on a float64 state) differs from the 7th digit.
TEST(KalmanFilter, PredictsWithFloat32NoiseLikeTheReferenceOnAFreshState) {
  const KalmanFilter filter;
  const KalmanState fresh = filter.initiate(Measurement{120, 140, 0.5, 81.7f});
  const KalmanState single = filter.predict(fresh, true);
  EXPECT_DOUBLE_EQ(single.covariance(0, 0), 109.50990746984495);
  EXPECT_DOUBLE_EQ(single.covariance(4, 4), 26.33452501058582);
  EXPECT_DOUBLE_EQ(single.covariance(2, 2), 0.00020000009747378751);
  EXPECT_DOUBLE_EQ(single.covariance(6, 6), 1.999999943962493e-10);
  const KalmanState wide = filter.predict(fresh);
  EXPECT_DOUBLE_EQ(wide.covariance(0, 0), 109.50990588140503);
  EXPECT_DOUBLE_EQ(wide.covariance(4, 4), 26.334524985766446);
  EXPECT_DOUBLE_EQ(wide.covariance(2, 2), 0.00020000010000000002);
}

}  // namespace
}  // namespace sn44::tracking

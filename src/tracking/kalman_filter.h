#pragma once
// ByteTrack's constant-velocity Kalman filter on (centre x, centre y, aspect ratio w/h, height) and
// their velocities, with its noise model: standard deviations proportional to the box height
// (1/20 for positions, 1/160 for velocities), fixed ones for the aspect ratio. Same formulas as the
// reference tracker so that predicted boxes, and hence matches, agree.

#include <Eigen/Core>

namespace sn44::tracking {

using StateVector = Eigen::Matrix<double, 8, 1>;
using StateCovariance = Eigen::Matrix<double, 8, 8>;
using Measurement = Eigen::Matrix<double, 4, 1>;  // x, y, a, h

struct KalmanState {
  StateVector mean;
  StateCovariance covariance;
};

class KalmanFilter {
 public:
  KalmanFilter();

  // A new track from its first measurement: zero velocity, uncertainty scaled by the height.
  KalmanState initiate(const Measurement& measurement) const;
  // One frame ahead. With `single_precision_noise` the process noise is computed in float32, as the
  // reference does when every state it predicts together is still a float32 first measurement.
  KalmanState predict(const KalmanState& state, bool single_precision_noise = false) const;
  // Corrects the state with a measurement.
  KalmanState update(const KalmanState& state, const Measurement& measurement) const;

 private:
  Eigen::Matrix<double, 8, 8> motion_;
  Eigen::Matrix<double, 4, 8> observation_;
};

}  // namespace sn44::tracking

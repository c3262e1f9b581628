#include "tracking/kalman_filter.h"

#include <Eigen/Cholesky>

namespace sn44::tracking {
namespace {

constexpr double kPositionWeight = 1.0 / 20;
constexpr double kVelocityWeight = 1.0 / 160;

template <int N>
Eigen::Matrix<double, N, N> diagonal_of_squares(const Eigen::Matrix<double, N, 1>& std_devs) {
  return std_devs.array().square().matrix().asDiagonal();
}

// Variances of the motion noise for a box of height h.
StateVector process_noise(double h) {
  StateVector std_devs;
  std_devs << kPositionWeight * h, kPositionWeight * h, 1e-2, kPositionWeight * h, kVelocityWeight * h,
      kVelocityWeight * h, 1e-5, kVelocityWeight * h;
  return std_devs.array().square().matrix();
}

// The same with weights, products and squares rounded to float32.
StateVector process_noise_in_float32(double h) {
  const auto hf = static_cast<float>(h);
  const float position = static_cast<float>(kPositionWeight) * hf;
  const float velocity = static_cast<float>(kVelocityWeight) * hf;
  Eigen::Matrix<float, 8, 1> std_devs;
  std_devs << position, position, 1e-2f, position, velocity, velocity, 1e-5f, velocity;
  return std_devs.array().square().matrix().cast<double>();
}

}  // namespace

KalmanFilter::KalmanFilter() {
  motion_.setIdentity();
  for (int i = 0; i < 4; ++i) motion_(i, 4 + i) = 1.0;  // one frame per step
  observation_.setIdentity();
}

KalmanState KalmanFilter::initiate(const Measurement& measurement) const {
  const double h = measurement(3);
  KalmanState state;
  state.mean << measurement, Eigen::Matrix<double, 4, 1>::Zero();
  Eigen::Matrix<double, 8, 1> std_devs;
  std_devs << 2 * kPositionWeight * h, 2 * kPositionWeight * h, 1e-2, 2 * kPositionWeight * h,
      10 * kVelocityWeight * h, 10 * kVelocityWeight * h, 1e-5, 10 * kVelocityWeight * h;
  state.covariance = diagonal_of_squares<8>(std_devs);
  return state;
}

KalmanState KalmanFilter::predict(const KalmanState& state, bool single_precision_noise) const {
  const double h = state.mean(3);
  const StateVector noise = single_precision_noise ? process_noise_in_float32(h) : process_noise(h);
  return {motion_ * state.mean, motion_ * state.covariance * motion_.transpose() + StateCovariance(noise.asDiagonal())};
}

KalmanState KalmanFilter::update(const KalmanState& state, const Measurement& measurement) const {
  const double h = state.mean(3);
  Eigen::Matrix<double, 4, 1> std_devs;
  std_devs << kPositionWeight * h, kPositionWeight * h, 1e-1, kPositionWeight * h;
  const Measurement projected_mean = observation_ * state.mean;
  const Eigen::Matrix4d projected_covariance =
      observation_ * state.covariance * observation_.transpose() + diagonal_of_squares<4>(std_devs);
  // Gain K solves (projected covariance) K^T = H P^T through a Cholesky factorisation, as the
  // reference does.
  const Eigen::Matrix<double, 8, 4> gain =
      projected_covariance.llt().solve((state.covariance * observation_.transpose()).transpose()).transpose();
  const Measurement innovation = measurement - projected_mean;
  return {state.mean + gain * innovation, state.covariance - gain * projected_covariance * gain.transpose()};
}

}  // namespace sn44::tracking

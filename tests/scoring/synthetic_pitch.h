#pragma once
// Synthetic broadcast frames for the scoring tests: the pitch template seen through a known
// homography, its lines painted on grass, with the exact keypoints and player boxes to go with it.

#include <opencv2/core.hpp>

#include "scoring/keypoint_scoring.h"

namespace sn44::testing {

inline constexpr scoring::FrameSize kSyntheticSize{1280, 720};

// Template (cm) -> frame (px): the whole pitch in a mild perspective, narrower at the far touchline.
cv::Matx33d synthetic_pitch_homography();

// The template vertices through `homography`; vertices falling outside the frame are (0, 0).
scoring::KeypointArray project_keypoints(const cv::Matx33d& homography, scoring::FrameSize size = kSyntheticSize);

// Grass with every template edge and the centre circle drawn 3 px wide in the light green-white of real pitch lines: the
// validator's detector keeps only line pixels within its grass hue range, so pure white is invisible.
cv::Mat render_pitch(const cv::Matx33d& homography, scoring::FrameSize size = kSyntheticSize);

// A player box (class 2) of 20 x 50 px whose centre is the template point (x, y) in cm.
scoring::ScoredObject player_at(const cv::Matx33d& homography, int64_t id, double x_cm, double y_cm);

}  // namespace sn44::testing

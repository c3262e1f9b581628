#pragma once
// The validator's white-line detector (keypoint_scoring.detect_pitch_lines_tophat): grass mask in
// HSV, top-hat of the grey image for thin bright structures, Canny + probabilistic Hough, then only
// segments lying on grass, off the frame border, in regions that are not crowded with segments.
// Keypoints are scored by their distance to these segments.

#include <opencv2/core.hpp>
#include <vector>

namespace sn44::scoring {

// Integer segment endpoints (x1, y1, x2, y2), as cv::HoughLinesP returns them.
using LineSegment = cv::Vec4i;

std::vector<LineSegment> detect_pitch_lines(const cv::Mat& frame_bgr);

}  // namespace sn44::scoring

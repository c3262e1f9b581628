#include "scoring/pitch_lines.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "support/expect_error.h"
#include "synthetic_pitch.h"

namespace sn44::scoring {
namespace {

double distance_to_segment(const cv::Point2d& p, const cv::Point2d& a, const cv::Point2d& b) {
  const cv::Point2d v = b - a;
  const double t = std::clamp((p - a).dot(v) / v.dot(v), 0.0, 1.0);
  return cv::norm(p - (a + t * v));
}

TEST(PitchLines, SegmentsFollowThePaintedLines) {
  const cv::Matx33d pitch_to_frame = testing::synthetic_pitch_homography();
  const std::vector<LineSegment> lines = detect_pitch_lines(testing::render_pitch(pitch_to_frame));
  ASSERT_GE(lines.size(), 20u);
  std::vector<std::pair<cv::Point2d, cv::Point2d>> painted;
  for (const PitchSegment& s : pitch_segments()) {
    const cv::Vec3d a = pitch_to_frame * cv::Vec3d(s.from.x, s.from.y, 1), b = pitch_to_frame * cv::Vec3d(s.to.x, s.to.y, 1);
    painted.emplace_back(cv::Point2d(a[0] / a[2], a[1] / a[2]), cv::Point2d(b[0] / b[2], b[1] / b[2]));
  }
  // Every point of every detected segment lies on the edge of a painted line (3 px wide, so a few
  // px from its axis); a segment may run along several collinear template edges.
  const double radius_x = (pitch_to_frame * cv::Vec3d(6915, 3500, 1))[0] / (pitch_to_frame * cv::Vec3d(6915, 3500, 1))[2] - 640;
  for (const LineSegment& line : lines) {
    // Segments of the centre circle are chords: skip those inside its bounding box.
    if (std::abs((line[0] + line[2]) / 2.0 - 640) < radius_x && std::abs((line[1] + line[3]) / 2.0 - 432) < radius_x) continue;
    for (double t = 0; t <= 1; t += 0.125) {
      const cv::Point2d point(line[0] + t * (line[2] - line[0]), line[1] + t * (line[3] - line[1]));
      double nearest = INFINITY;
      for (const auto& [a, b] : painted) nearest = std::min(nearest, distance_to_segment(point, a, b));
      EXPECT_LT(nearest, 5.0) << line << " at t=" << t;
    }
  }
}

TEST(PitchLines, PureWhiteLinesAndBareGrassGiveNothing) {
  cv::Mat grass(720, 1280, CV_8UC3, cv::Scalar(40, 130, 40));
  EXPECT_TRUE(detect_pitch_lines(grass).empty());
  // White is outside the grass hue range, and the detector only keeps line pixels on grass.
  cv::line(grass, {100, 400}, {1100, 400}, cv::Scalar(255, 255, 255), 3);
  EXPECT_TRUE(detect_pitch_lines(grass).empty());
}

TEST(PitchLines, RejectsFramesThatAreNotBgr) {
  testing::expect_error(ErrorKind::invalid_argument, "BGR", [] { detect_pitch_lines(cv::Mat(10, 10, CV_8UC1)); });
  testing::expect_error(ErrorKind::invalid_argument, "BGR", [] { detect_pitch_lines(cv::Mat()); });
}

}  // namespace
}  // namespace sn44::scoring

#include "synthetic_pitch.h"

#include <cmath>
#include <opencv2/imgproc.hpp>

namespace sn44::testing {
namespace {

cv::Point2d apply(const cv::Matx33d& h, double x, double y) {
  const cv::Vec3d p = h * cv::Vec3d(x, y, 1);
  return {p[0] / p[2], p[1] / p[2]};
}

const cv::Scalar kLineColour(170, 230, 170);

}  // namespace

cv::Matx33d synthetic_pitch_homography() {
  const std::vector<cv::Point2f> pitch{{0, 0}, {12000, 0}, {12000, 7000}, {0, 7000}};
  const std::vector<cv::Point2f> frame{{160, 230}, {1120, 230}, {1250, 690}, {30, 690}};
  return cv::Matx33d(cv::getPerspectiveTransform(pitch, frame));
}

scoring::KeypointArray project_keypoints(const cv::Matx33d& homography, scoring::FrameSize size) {
  scoring::KeypointArray keypoints{};
  for (size_t i = 0; i < keypoints.size(); ++i) {
    const auto& vertex = kPitchVertices[i].position;
    const cv::Point2d p = apply(homography, vertex.x, vertex.y);
    if (p.x >= 0 && p.x < size.width && p.y >= 0 && p.y < size.height) keypoints[i] = {p.x, p.y};
  }
  return keypoints;
}

cv::Mat render_pitch(const cv::Matx33d& homography, scoring::FrameSize size) {
  cv::Mat frame(size.height, size.width, CV_8UC3, cv::Scalar(40, 130, 40));
  for (const PitchSegment& segment : pitch_segments()) {
    const cv::Point2d from = apply(homography, segment.from.x, segment.from.y);
    const cv::Point2d to = apply(homography, segment.to.x, segment.to.y);
    cv::line(frame, cv::Point(cvRound(from.x), cvRound(from.y)), cv::Point(cvRound(to.x), cvRound(to.y)), kLineColour, 3);
  }
  // The centre circle is painted on real pitches and two keypoints lie on it, though it is no edge.
  std::vector<cv::Point> circle;
  for (int degree = 0; degree < 360; degree += 5) {
    const double angle = degree * CV_PI / 180;
    const cv::Point2d p = apply(homography, pitch::kLength / 2 + pitch::kCentreCircleRadius * std::cos(angle),
                                pitch::kWidth / 2 + pitch::kCentreCircleRadius * std::sin(angle));
    circle.emplace_back(cvRound(p.x), cvRound(p.y));
  }
  cv::polylines(frame, circle, true, kLineColour, 3);
  return frame;
}

scoring::ScoredObject player_at(const cv::Matx33d& homography, int64_t id, double x_cm, double y_cm) {
  const cv::Point2d centre = apply(homography, x_cm, y_cm);
  return {id, {centre.x - 10, centre.y - 25, centre.x + 10, centre.y + 25}, 2};
}

}  // namespace sn44::testing

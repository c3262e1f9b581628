#include "scoring/pitch_lines.h"

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace sn44::scoring {
namespace {

// The validator's constants.
constexpr int kBorderIgnore = 3;
constexpr int kGrassSamples = 30;
constexpr double kDensityRadius = 80;
constexpr int kDensityMaxNeighbours = 80;

// Whether every one of `samples` evenly spaced points of the segment is on the mask. The sample
// positions follow numpy.linspace (t = i / (n - 1), the last exactly 1) and truncate like int().
bool segment_on_mask(const LineSegment& s, const cv::Mat& mask, int samples) {
  const double step = 1.0 / (samples - 1);
  for (int i = 0; i < samples; ++i) {
    const double t = i == samples - 1 ? 1.0 : i * step;
    const int x = static_cast<int>(s[0] + (s[2] - s[0]) * t);
    const int y = static_cast<int>(s[1] + (s[3] - s[1]) * t);
    if (mask.at<uint8_t>(y, x) == 0) return false;
  }
  return true;
}

// Drops segments whose midpoint has more than kDensityMaxNeighbours segment midpoints (itself
// included) within a square of kDensityRadius: crowds and nets produce such clusters.
std::vector<LineSegment> drop_dense_clusters(const std::vector<LineSegment>& segments) {
  std::vector<cv::Point2d> middles;
  middles.reserve(segments.size());
  for (const LineSegment& s : segments) middles.emplace_back((s[0] + s[2]) / 2.0, (s[1] + s[3]) / 2.0);
  std::vector<LineSegment> kept;
  for (size_t i = 0; i < segments.size(); ++i) {
    int neighbours = 0;
    for (const cv::Point2d& other : middles) {
      if (std::abs(other.x - middles[i].x) < kDensityRadius && std::abs(other.y - middles[i].y) < kDensityRadius) ++neighbours;
    }
    if (neighbours <= kDensityMaxNeighbours) kept.push_back(segments[i]);
  }
  return kept;
}

}  // namespace

std::vector<LineSegment> detect_pitch_lines(const cv::Mat& frame_bgr) {
  if (frame_bgr.empty() || frame_bgr.type() != CV_8UC3) {
    throw Error(ErrorKind::invalid_argument, "pitch line detection needs a non-empty 8-bit BGR frame");
  }
  cv::Mat gray, hsv, grass;
  cv::cvtColor(frame_bgr, gray, cv::COLOR_BGR2GRAY);
  cv::cvtColor(frame_bgr, hsv, cv::COLOR_BGR2HSV);
  cv::inRange(hsv, cv::Scalar(35, 40, 40), cv::Scalar(85, 255, 255), grass);
  cv::morphologyEx(grass, grass, cv::MORPH_OPEN, cv::Mat::ones(5, 5, CV_8U));

  cv::Mat tophat, white_lines, on_grass, blurred, edges;
  cv::morphologyEx(gray, tophat, cv::MORPH_TOPHAT, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(31, 31)));
  cv::threshold(tophat, white_lines, 30, 255, cv::THRESH_BINARY);
  cv::bitwise_and(white_lines, grass, on_grass);
  cv::GaussianBlur(on_grass, blurred, cv::Size(5, 5), 0);
  cv::Canny(blurred, edges, 30, 100);
  std::vector<LineSegment> hough;
  cv::HoughLinesP(edges, hough, 1, CV_PI / 360, 30, 10, 15);

  cv::Mat line_mask = cv::Mat::zeros(gray.size(), CV_8U);
  std::vector<LineSegment> on_grass_segments;
  for (const LineSegment& s : hough) {
    if (!segment_on_mask(s, grass, kGrassSamples)) continue;
    cv::line(line_mask, {s[0], s[1]}, {s[2], s[3]}, 255, 2);
    on_grass_segments.push_back(s);
  }
  const int w = line_mask.cols, h = line_mask.rows;
  const int border = std::min({kBorderIgnore, w, h});
  line_mask.rowRange(0, border).setTo(0);
  line_mask.rowRange(h - border, h).setTo(0);
  line_mask.colRange(0, border).setTo(0);
  line_mask.colRange(w - border, w).setTo(0);

  // A segment survives when its midpoint is still drawn once the border is cleared.
  std::vector<LineSegment> kept;
  for (const LineSegment& s : on_grass_segments) {
    const int mx = (s[0] + s[2]) / 2, my = (s[1] + s[3]) / 2;
    if (mx >= 0 && mx < w && my >= 0 && my < h && line_mask.at<uint8_t>(my, mx) > 0) kept.push_back(s);
  }
  return drop_dense_clusters(kept);
}

}  // namespace sn44::scoring

// The annotator draws the pitch lines between found keypoints, and labels keypoints as the pitch
// template does.

#include "pipeline/annotator.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/pitch_template.h"

namespace sn44::pipeline {
namespace {

bool is_red(const cv::Mat& bgr, int x, int y) {
  const cv::Vec3b pixel = bgr.at<cv::Vec3b>(y, x);
  return pixel[2] > 200 && pixel[0] < 60 && pixel[1] < 60;
}

TEST(Annotator, DrawsPitchLinesOnlyBetweenConnectedKeypoints) {
  cv::Mat bgr(400, 600, CV_8UC3, cv::Scalar(0, 0, 0));
  FrameResult result;
  // Vertices 0 and 1 (a corner and the penalty box's corner on the same goal line) are joined by a
  // pitch line. Vertices 0 and 5, the two ends of that goal line, are joined only through the
  // vertices between them, so nothing is drawn straight from one to the other.
  result.keypoints[0] = {100, 100};
  result.keypoints[1] = {100, 300};
  result.keypoints[5] = {500, 100};
  ASSERT_EQ((kPitchEdges[0]), (std::array<int, 2>{0, 1}));
  draw_frame_result(bgr, result);
  EXPECT_TRUE(is_red(bgr, 100, 200));   // on the edge 0-1, away from both dots
  EXPECT_FALSE(is_red(bgr, 300, 100));  // between 0 and 5: no line
}

TEST(Annotator, LabelsKeypointsWithTheTemplateLabels) {
  // Keypoint index 13 is labelled "15" by the template, not "14": the labels differ, so the drawn
  // pixels differ too.
  FrameResult result;
  result.keypoints[13] = {50, 80};
  cv::Mat drawn(120, 200, CV_8UC3, cv::Scalar(0, 0, 0));
  draw_frame_result(drawn, result);
  cv::Mat expected(120, 200, CV_8UC3, cv::Scalar(0, 0, 0));
  cv::circle(expected, {50, 80}, 5, cv::Scalar(0, 0, 255), cv::FILLED, cv::LINE_AA);
  cv::putText(expected, "15", cv::Point(56, 74), cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar(0, 0, 255), 1, cv::LINE_AA);
  const cv::Rect keypoint_area(40, 50, 80, 40);  // the dot and its label, clear of the frame number
  EXPECT_EQ(cv::norm(drawn(keypoint_area), expected(keypoint_area), cv::NORM_L1), 0.0);
}

}  // namespace
}  // namespace sn44::pipeline

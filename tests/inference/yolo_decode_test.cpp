#include "inference/yolo_decode.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"

namespace sn44::inference {
namespace {

// Builds a [channels x anchors] output from per-anchor columns.
std::vector<float> channels_by_anchors(const std::vector<std::vector<float>>& anchors) {
  const size_t channels = anchors.front().size();
  std::vector<float> output(channels * anchors.size());
  for (size_t a = 0; a < anchors.size(); ++a) {
    for (size_t c = 0; c < channels; ++c) output[c * anchors.size() + a] = anchors[a][c];
  }
  return output;
}

TEST(DecodeYoloOutput, PicksTheBestClassAndConvertsCentreSizeToCorners) {
  // cx, cy, w, h, ball, goalkeeper, player, referee
  const auto output = channels_by_anchors({
      {50, 40, 20, 10, 0.1f, 0.2f, 0.9f, 0.3f},   // player at (40, 35)-(60, 45)
      {200, 100, 8, 8, 0.6f, 0.0f, 0.0f, 0.0f},   // ball
      {300, 300, 30, 60, 0.1f, 0.25f, 0.2f, 0.1f},  // best score 0.25 is not above the threshold
      {300, 300, 30, 60, 0.0f, 0.0f, 0.0f, 0.0f},
  });
  const auto detections = decode_yolo_output(output, 8, 4, 4, DecodeOptions{});
  ASSERT_EQ(detections.size(), 2u);
  EXPECT_EQ(detections[0].class_id, 2);
  EXPECT_FLOAT_EQ(detections[0].score, 0.9f);
  EXPECT_EQ(detections[0].box, (Box{40, 35, 60, 45}));
  EXPECT_EQ(detections[1].class_id, 0);
  EXPECT_EQ(detections[1].box, (Box{196, 96, 204, 104}));
  EXPECT_TRUE(detections[0].keypoints.empty());
}

TEST(DecodeYoloRows, GivesTheWholeOutputsAnswerFromTheAnchorsOverTheThresholdInAnchorOrder) {
  // Equal scores: ties go to the earlier anchor, in the rows as in the whole output. A pose layout
  // (one class, two keypoints) so that the keypoints ride along too.
  const std::vector<std::vector<float>> anchors{
      {50, 50, 20, 40, 0.9f, 1, 2, 0.9f, 3, 4, 0.2f},
      {51, 50, 20, 40, 0.9f, 5, 6, 0.8f, 7, 8, 0.7f},  // overlaps the first with the same score: suppressed
      {300, 300, 30, 60, 0.1f, 0, 0, 0, 0, 0, 0},      // under the threshold
      {200, 100, 10, 10, 0.7f, 9, 10, 0.6f, 11, 12, 0.5f},
  };
  const auto whole = decode_yolo_output(channels_by_anchors(anchors), 11, 4, 1, DecodeOptions{});
  std::vector<float> rows;
  for (const size_t anchor : {size_t{0}, size_t{1}, size_t{3}}) rows.insert(rows.end(), anchors[anchor].begin(), anchors[anchor].end());
  const auto from_rows = decode_yolo_rows(rows, 11, 1, DecodeOptions{});
  ASSERT_EQ(whole.size(), 2u);
  ASSERT_EQ(from_rows.size(), whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(from_rows[i].box, whole[i].box);
    EXPECT_EQ(from_rows[i].score, whole[i].score);
    ASSERT_EQ(from_rows[i].keypoints.size(), 2u);
    EXPECT_EQ(from_rows[i].keypoints[1].x, whole[i].keypoints[1].x);
  }
  EXPECT_EQ(from_rows[0].keypoints[0].x, 1) << "the first of two equal scores is kept";
  EXPECT_THROW(decode_yolo_rows(std::vector<float>(10), 11, 1, DecodeOptions{}), Error) << "not whole rows";
}

TEST(DecodeYoloOutput, NmsIsPerClassUnlessAgnostic) {
  // Two identical boxes, a player and a referee.
  const auto output = channels_by_anchors({
      {50, 50, 20, 40, 0, 0, 0.9f, 0.0f},
      {50, 50, 20, 40, 0, 0, 0.0f, 0.8f},
  });
  EXPECT_EQ(decode_yolo_output(output, 8, 2, 4, DecodeOptions{}).size(), 2u);
  DecodeOptions agnostic;
  agnostic.class_agnostic = true;
  const auto merged = decode_yolo_output(output, 8, 2, 4, agnostic);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].class_id, 2);
}

TEST(DecodeYoloOutput, KeepsAtMostMaxDetectionsByScore) {
  std::vector<std::vector<float>> anchors;
  for (int i = 0; i < 10; ++i) anchors.push_back({i * 100.0f + 10, 10, 10, 10, 0, 0, 0.3f + i * 0.05f, 0});
  DecodeOptions options;
  options.max_detections = 3;
  const auto detections = decode_yolo_output(channels_by_anchors(anchors), 8, 10, 4, options);
  ASSERT_EQ(detections.size(), 3u);
  EXPECT_FLOAT_EQ(detections[0].score, 0.75f);
  EXPECT_FLOAT_EQ(detections[2].score, 0.65f);
}

TEST(DecodeYoloOutput, PoseKeypointsRideAlongWithTheirDetection) {
  // cx, cy, w, h, score, then 2 keypoints x (x, y, conf)
  const auto output = channels_by_anchors({
      {100, 100, 50, 50, 0.4f, 90, 95, 0.8f, 110, 105, 0.3f},
      {102, 100, 50, 50, 0.9f, 91, 96, 0.7f, 111, 106, 0.6f},  // overlaps the first: suppresses it
  });
  const auto detections = decode_yolo_output(output, 11, 2, 1, DecodeOptions{});
  ASSERT_EQ(detections.size(), 1u);
  EXPECT_FLOAT_EQ(detections[0].score, 0.9f);
  ASSERT_EQ(detections[0].keypoints.size(), 2u);
  EXPECT_FLOAT_EQ(detections[0].keypoints[0].x, 91);
  EXPECT_FLOAT_EQ(detections[0].keypoints[1].y, 106);
  EXPECT_FLOAT_EQ(detections[0].keypoints[1].conf, 0.6f);
}

TEST(DecodeYoloOutput, RejectsAnOutputThatDoesNotFitItsShape) {
  const std::vector<float> output(10);
  EXPECT_THROW(decode_yolo_output(output, 8, 2, 4, DecodeOptions{}), Error);
  EXPECT_THROW(decode_yolo_output(std::vector<float>(20), 10, 2, 4, DecodeOptions{}), Error) << "2 extra rows are not keypoints";
}

}  // namespace
}  // namespace sn44::inference

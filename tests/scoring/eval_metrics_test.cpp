#include "scoring/eval_metrics.h"

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "core/error.h"
#include "support/expect_error.h"
#include "support/temp_dir.h"

namespace sn44::scoring {
namespace {

// A YOLO split folder with one 100 x 100 detection image and one 200 x 100 pose image.
class HandMadeDataset : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_ / "images");
    std::filesystem::create_directories(dir_ / "labels");
    cv::imwrite((dir_ / "images" / "boxes.png").string(), cv::Mat(100, 100, CV_8UC3, cv::Scalar(0, 128, 0)));
    cv::imwrite((dir_ / "images" / "pitch.png").string(), cv::Mat(100, 200, CV_8UC3, cv::Scalar(0, 128, 0)));
    cv::imwrite((dir_ / "images" / "empty.png").string(), cv::Mat(100, 100, CV_8UC3, cv::Scalar(0, 128, 0)));
    // Two players (20 x 40 at (10, 10) and (60, 10)) and a ball (10 x 10 at (40, 80)).
    std::ofstream(dir_ / "labels" / "boxes.txt") << "2 0.2 0.3 0.2 0.4\n2 0.7 0.3 0.2 0.4\n0 0.45 0.85 0.1 0.1\n";
    // Keypoints 0..2 visible at (20, 10), (100, 50), (180, 90); keypoint 3 labelled invisible.
    std::string pose = "0 0.5 0.5 1 1 0.1 0.1 2 0.5 0.5 2 0.9 0.9 2 0.3 0.3 0";
    for (int k = 4; k < kPitchVertexCount; ++k) pose += " 0 0 0";
    std::ofstream(dir_ / "labels" / "pitch.txt") << pose << "\n";
  }

  testing::TempDir dir_;
};

Detection detection(int class_id, float score, float x1, float y1, float x2, float y2) { return {{x1, y1, x2, y2}, score, class_id}; }

TEST_F(HandMadeDataset, ReadsBoxesInPixelsAndKeypointsWithVisibility) {
  const std::vector<LabelledImage> labels = read_yolo_labels(dir_.path());
  ASSERT_EQ(labels.size(), 3u);
  EXPECT_EQ(labels[0].name, "boxes.png");
  ASSERT_EQ(labels[0].boxes.size(), 3u);
  EXPECT_EQ(labels[0].boxes[1].box, (Box{60, 10, 80, 50}));
  EXPECT_TRUE(labels[1].boxes.empty());  // no label file: a background image
  ASSERT_TRUE(labels[2].keypoints);
  EXPECT_DOUBLE_EQ((*labels[2].keypoints)[1].x, 100);
  EXPECT_DOUBLE_EQ((*labels[2].keypoints)[2].y, 90);
  EXPECT_TRUE((*labels[2].keypoints)[2].visible);
  EXPECT_FALSE((*labels[2].keypoints)[3].visible);
}

TEST_F(HandMadeDataset, DetectionMetricsByHand) {
  const std::vector<LabelledImage> labels = read_yolo_labels(dir_.path());
  Predictions predictions;
  predictions["boxes.png"].detections = {
      detection(2, 0.95f, 85, 85, 95, 95),  // a player where there is none: false positive
      detection(2, 0.90f, 10, 10, 30, 50),  // exact: true positive
      detection(2, 0.80f, 70, 10, 90, 50),  // half off the second player: IoU 1/3, false positive
      detection(0, 0.70f, 40, 80, 50, 90),  // exact ball
  };
  const DetectionMetrics metrics = evaluate_detections(labels, predictions);
  const ClassDetectionMetrics& players = metrics.classes[2];
  EXPECT_EQ(players.labelled, 2);
  EXPECT_EQ(players.true_positives, 1);
  EXPECT_DOUBLE_EQ(players.precision, 1.0 / 3);
  EXPECT_DOUBLE_EQ(players.recall, 0.5);
  // Precision 0, 1/2, 1/3 at recall 0, 1/2, 1/2: the envelope gives 1/2 over recall 0..1/2.
  EXPECT_DOUBLE_EQ(players.average_precision, 0.25);
  EXPECT_DOUBLE_EQ(metrics.classes[0].average_precision, 1.0);
  EXPECT_DOUBLE_EQ(metrics.mean_average_precision, (0.25 + 1.0) / 2);  // only classes with labels count
  EXPECT_DOUBLE_EQ(metrics.precision, 2.0 / 4);
  EXPECT_DOUBLE_EQ(metrics.recall, 2.0 / 3);
  // A looser IoU makes the half-off player a match.
  EXPECT_DOUBLE_EQ(evaluate_detections(labels, predictions, 0.3).classes[2].recall, 1.0);
}

TEST_F(HandMadeDataset, KeypointMetricsByHand) {
  const std::vector<LabelledImage> labels = read_yolo_labels(dir_.path());
  Predictions predictions;
  EvalKeypoints predicted{};
  predicted[0] = {20, 10, true};   // exact
  predicted[1] = {103, 54, true};  // 5 px off
  predicted[3] = {60, 30, true};   // labelled invisible: a false visible; keypoint 2 is missed
  predictions["pitch.png"].keypoints = predicted;
  const KeypointMetrics metrics = evaluate_keypoints(labels, predictions);
  EXPECT_EQ(metrics.labelled_visible, 3);
  EXPECT_EQ(metrics.predicted_visible, 3);
  EXPECT_DOUBLE_EQ(metrics.mean_pixel_error, 2.5);
  EXPECT_DOUBLE_EQ(metrics.pck_5, 2.0 / 3);
  EXPECT_DOUBLE_EQ(metrics.pck_20, 2.0 / 3);
  EXPECT_DOUBLE_EQ(metrics.visibility_precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(metrics.visibility_recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(evaluate_keypoints(labels, {}).pck_5, 0.0);
}

TEST_F(HandMadeDataset, PredictionFileFormat) {
  std::string keypoints = "[[20, 10, 0.9], [0, 0]";
  for (int k = 2; k < kPitchVertexCount; ++k) keypoints += ", [5, 5, 0]";
  const Predictions predictions = parse_predictions(
      R"({"images": {"boxes.png": {"detections": [{"bbox": [10, 10, 30, 50], "class_id": 2, "score": 0.9}]},
                     "pitch.png": {"keypoints": )" + keypoints + "]}}}");
  ASSERT_EQ(predictions.size(), 2u);
  EXPECT_EQ(predictions.at("boxes.png").detections[0].box, (Box{10, 10, 30, 50}));
  EXPECT_FLOAT_EQ(predictions.at("boxes.png").detections[0].score, 0.9f);
  const EvalKeypoints& k = *predictions.at("pitch.png").keypoints;
  EXPECT_TRUE(k[0].visible);
  EXPECT_FALSE(k[1].visible);  // (0, 0)
  EXPECT_FALSE(k[2].visible);  // confidence 0
  require_labelled_images(read_yolo_labels(dir_.path()), predictions);
}

TEST_F(HandMadeDataset, BadInputsNameTheirCause) {
  testing::expect_error(ErrorKind::invalid_argument, "not in the labelled set",
                        [&] { require_labelled_images(read_yolo_labels(dir_.path()), {{"other.png", {}}}); });
  testing::expect_error(ErrorKind::invalid_argument, "images[\"a.png\"].detections[0]",
                        [] { parse_predictions(R"({"images": {"a.png": {"detections": [{"bbox": [1, 2], "class_id": 0}]}}})"); });
  testing::expect_error(ErrorKind::invalid_argument, "\"images\"", [] { parse_predictions("[]"); });
  testing::expect_error(ErrorKind::not_found, "/nonexistent", [] { read_yolo_labels("/nonexistent"); });
  std::ofstream(dir_ / "labels" / "boxes.txt") << "2 0.2 0.3 0.2\n";
  testing::expect_error(ErrorKind::invalid_argument, "boxes.txt:1", [&] { read_yolo_labels(dir_.path()); });
}

}  // namespace
}  // namespace sn44::scoring

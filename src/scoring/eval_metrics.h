#pragma once
// Accuracy of the miner's models against labelled frames (YOLO-format datasets): detection
// precision / recall / AP at IoU 0.5 per class, and pitch-keypoint pixel error, PCK and visibility.
// Labels and predictions meet in one in-memory structure, so predictions can come from a file or
// from running the models directly.

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"
#include "core/pitch_template.h"

namespace sn44::scoring {

inline constexpr int kDetectionClassCount = 4;  // ball, goalkeeper, player, referee

struct LabelledBox {
  int class_id = 0;
  Box box;  // pixels
};

// A keypoint position in pixels; visible = labelled (v > 0) or predicted (not (0, 0)).
struct EvalKeypoint {
  double x = 0, y = 0;
  bool visible = false;
};
using EvalKeypoints = std::array<EvalKeypoint, kPitchVertexCount>;

struct LabelledImage {
  std::string name;  // image file name, the key predictions use
  std::filesystem::path path;
  int width = 0, height = 0;
  std::vector<LabelledBox> boxes;           // detection datasets
  std::optional<EvalKeypoints> keypoints;  // pose datasets
};

// Reads a YOLO split folder (images/ + labels/), or a dataset folder holding valid/. Labels are
// "class cx cy w h" (detection) or that followed by 32 "x y v" triplets (pitch pose), normalised.
std::vector<LabelledImage> read_yolo_labels(const std::filesystem::path& folder);

struct PredictedImage {
  std::vector<Detection> detections;       // pixels, with class and score
  std::optional<EvalKeypoints> keypoints;
};
using Predictions = std::map<std::string, PredictedImage>;  // by image file name

// The prediction file format of docs/scoring.md.
Predictions parse_predictions(const std::string& json_text);
Predictions read_predictions(const std::filesystem::path& path);
// The same format back: what a model predicted, for inspection or a later `eval --predictions`.
std::string format_predictions(const Predictions& predictions);

// Throws sn44::Error(invalid_argument) when a prediction names an image the labelled set lacks: a
// typo or the wrong dataset would otherwise pass as missed detections.
void require_labelled_images(const std::vector<LabelledImage>& labels, const Predictions& predictions);

struct ClassDetectionMetrics {
  int labelled = 0;
  int predicted = 0;
  int true_positives = 0;
  double precision = 0;
  double recall = 0;
  double average_precision = 0;  // all-point interpolated (VOC 2010+), IoU >= 0.5
};

struct DetectionMetrics {
  std::array<ClassDetectionMetrics, kDetectionClassCount> classes{};
  double precision = 0;  // over all classes
  double recall = 0;
  double mean_average_precision = 0;  // mean AP over the classes that have labels
};

// Greedy matching per image and class in descending score order: a prediction is a true positive
// when its best-overlapping still unmatched label of its class has IoU >= iou_threshold.
DetectionMetrics evaluate_detections(const std::vector<LabelledImage>& labels, const Predictions& predictions,
                                     double iou_threshold = 0.5);

struct KeypointMetrics {
  int labelled_visible = 0;
  int predicted_visible = 0;
  int both_visible = 0;
  double mean_pixel_error = 0;  // over keypoints both labelled and predicted
  double pck_5 = 0, pck_10 = 0, pck_20 = 0;  // share of labelled keypoints predicted within 5 / 10 / 20 px
  double visibility_precision = 0;
  double visibility_recall = 0;
};

KeypointMetrics evaluate_keypoints(const std::vector<LabelledImage>& labels, const Predictions& predictions);

}  // namespace sn44::scoring

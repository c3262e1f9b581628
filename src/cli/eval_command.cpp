// `sn44-miner eval`: accuracy of predictions against a labelled dataset (YOLO format): detection
// precision / recall / AP@0.5 per class, and pitch-keypoint error, PCK and visibility. Predictions
// come from a file today; running the models in-process only has to produce the same Predictions.

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "scoring/eval_metrics.h"

namespace sn44::cli {
namespace {

struct EvalCommandOptions {
  std::string labels;
  std::string predictions;
  double iou = 0.5;
  bool json = false;
};

constexpr const char* kClassNames[scoring::kDetectionClassCount] = {"ball", "goalkeeper", "player", "referee"};

void print_json(const scoring::DetectionMetrics& d, const scoring::KeypointMetrics& k, bool has_boxes, bool has_keypoints) {
  nlohmann::ordered_json body;
  if (has_boxes) {
    nlohmann::ordered_json classes;
    for (int c = 0; c < scoring::kDetectionClassCount; ++c) {
      const scoring::ClassDetectionMetrics& m = d.classes[static_cast<size_t>(c)];
      classes[kClassNames[c]] = {{"labelled", m.labelled}, {"predicted", m.predicted}, {"true_positives", m.true_positives},
                                 {"precision", m.precision}, {"recall", m.recall}, {"ap50", m.average_precision}};
    }
    body["detection"] = {{"precision", d.precision}, {"recall", d.recall}, {"map50", d.mean_average_precision}, {"classes", classes}};
  }
  if (has_keypoints) {
    body["keypoints"] = {{"labelled_visible", k.labelled_visible}, {"predicted_visible", k.predicted_visible},
                         {"mean_pixel_error", k.mean_pixel_error}, {"pck5", k.pck_5}, {"pck10", k.pck_10}, {"pck20", k.pck_20},
                         {"visibility_precision", k.visibility_precision}, {"visibility_recall", k.visibility_recall}};
  }
  std::printf("%s\n", body.dump(2).c_str());
}

void print_table(const scoring::DetectionMetrics& d, const scoring::KeypointMetrics& k, bool has_boxes, bool has_keypoints) {
  if (has_boxes) {
    std::printf("%-11s %9s %9s %6s %9s %7s %7s\n", "class", "labelled", "predicted", "TP", "precision", "recall", "AP50");
    for (int c = 0; c < scoring::kDetectionClassCount; ++c) {
      const scoring::ClassDetectionMetrics& m = d.classes[static_cast<size_t>(c)];
      std::printf("%-11s %9d %9d %6d %9.4f %7.4f %7.4f\n", kClassNames[c], m.labelled, m.predicted, m.true_positives,
                  m.precision, m.recall, m.average_precision);
    }
    std::printf("%-11s %36.4f %7.4f %7.4f  (mAP50, all-point interpolated)\n", "all", d.precision, d.recall,
                d.mean_average_precision);
  }
  if (has_keypoints) {
    std::printf("%skeypoints: %d labelled visible, %d predicted visible\n", has_boxes ? "\n" : "", k.labelled_visible,
                k.predicted_visible);
    std::printf("  mean pixel error %.2f px; PCK@5 %.4f, PCK@10 %.4f, PCK@20 %.4f\n", k.mean_pixel_error, k.pck_5, k.pck_10, k.pck_20);
    std::printf("  visibility precision %.4f, recall %.4f\n", k.visibility_precision, k.visibility_recall);
  }
}

void run_eval(const EvalCommandOptions& options) {
  const std::vector<scoring::LabelledImage> labels = scoring::read_yolo_labels(options.labels);
  const scoring::Predictions predictions = scoring::read_predictions(options.predictions);
  scoring::require_labelled_images(labels, predictions);
  bool has_boxes = false, has_keypoints = false;
  for (const scoring::LabelledImage& image : labels) {
    has_boxes = has_boxes || (!image.boxes.empty() && !image.keypoints);
    has_keypoints = has_keypoints || image.keypoints.has_value();
  }
  const scoring::DetectionMetrics detection = scoring::evaluate_detections(labels, predictions, options.iou);
  const scoring::KeypointMetrics keypoints = scoring::evaluate_keypoints(labels, predictions);
  if (options.json) {
    print_json(detection, keypoints, has_boxes, has_keypoints);
  } else {
    print_table(detection, keypoints, has_boxes, has_keypoints);
  }
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto options = std::make_shared<EvalCommandOptions>();
  CLI::App* command = app.add_subcommand("eval", "Accuracy of predictions against labelled frames (detection mAP, keypoint PCK)");
  command->add_option("--labels", options->labels, "YOLO dataset folder (images/ + labels/, or one holding valid/)")->required();
  command->add_option("--predictions", options->predictions, "Predictions JSON (format in docs/scoring.md)")->required();
  command->add_option("--iou", options->iou, "IoU a detection needs to match a label")->check(CLI::Range(0.05, 1.0));
  command->add_flag("--json", options->json, "Print JSON instead of a table");
  command->callback([options] { run_eval(*options); });
}

}  // namespace sn44::cli

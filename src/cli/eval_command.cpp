// `sn44-miner eval`: accuracy of predictions against a labelled dataset (YOLO format): detection
// precision / recall / AP@0.5 per class, and pitch-keypoint error, PCK and visibility. Predictions
// come from a file, or from running a model on the dataset's images as the miner runs it.

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "cli/commands.h"
#include "cli/output_file.h"
#include "core/error.h"
#include "inference/detectors.h"
#include "scoring/eval_metrics.h"

namespace sn44::cli {
namespace {

struct EvalCommandOptions {
  std::string labels;
  std::string predictions;
  std::string model;              // instead of predictions: run this model on the images
  std::string write_predictions;  // where to save what the model predicted
  std::string device = "cpu";
  int threads = 0;
  int input_size = 0;  // for model files that do not state theirs; 0: 1280 for boxes, 640 for keypoints
  inference::DecodeOptions decode;
  float keypoint_threshold = 0.5f;
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

cv::Mat read_colour_image(const scoring::LabelledImage& image) {
  cv::Mat pixels = cv::imread(image.path.string(), cv::IMREAD_COLOR);  // BGR, as the decoder gives frames
  if (pixels.empty()) throw Error(ErrorKind::corrupt_data, "cannot decode image " + image.path.string());
  return pixels;
}

// The model's predictions for every image, one image per forward pass, with the miner's letterbox,
// thresholds and NMS: a pose dataset runs it as the pitch model, any other as the player model.
scoring::Predictions predict_with_model(const std::vector<scoring::LabelledImage>& labels, const EvalCommandOptions& options,
                                        bool pose) {
  const int input_size = options.input_size > 0 ? options.input_size : (pose ? 640 : 1280);
  std::unique_ptr<inference::Model> model =
      inference::load_model(options.model, inference::ModelOptions{options.device, options.threads, input_size});
  scoring::Predictions predictions;
  if (pose) {
    inference::PitchDetector detector(std::move(model), options.decode, options.keypoint_threshold);
    for (const scoring::LabelledImage& image : labels) {
      const cv::Mat pixels = read_colour_image(image);
      const inference::PitchObservation observation = detector.detect({&pixels, 1}).front();
      scoring::EvalKeypoints keypoints{};
      for (size_t i = 0; i < keypoints.size(); ++i) {
        const Keypoint& k = observation.keypoints[i];
        keypoints[i] = {k.x, k.y, k.x != 0 || k.y != 0};  // under the threshold means (0, 0)
      }
      predictions[image.name].keypoints = keypoints;
    }
  } else {
    inference::PlayerDetector detector(std::move(model), options.decode);
    for (const scoring::LabelledImage& image : labels) {
      const cv::Mat pixels = read_colour_image(image);
      predictions[image.name].detections = std::move(detector.detect({&pixels, 1}).front());
    }
  }
  return predictions;
}

void run_eval(const EvalCommandOptions& options) {
  if (options.predictions.empty() == options.model.empty()) {
    throw Error(ErrorKind::invalid_argument, "give either --predictions or --model");
  }
  const std::vector<scoring::LabelledImage> labels = scoring::read_yolo_labels(options.labels);
  bool has_boxes = false, has_keypoints = false;
  for (const scoring::LabelledImage& image : labels) {
    has_boxes = has_boxes || (!image.boxes.empty() && !image.keypoints);
    has_keypoints = has_keypoints || image.keypoints.has_value();
  }
  scoring::Predictions predictions;
  if (options.model.empty()) {
    predictions = scoring::read_predictions(options.predictions);
    scoring::require_labelled_images(labels, predictions);
  } else {
    predictions = predict_with_model(labels, options, has_keypoints);
    if (!has_keypoints) has_boxes = true;  // a dataset of background images still shows the model's false boxes
    if (!options.write_predictions.empty()) write_file_atomically(options.write_predictions, scoring::format_predictions(predictions));
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
  CLI::Option* predictions =
      command->add_option("--predictions", options->predictions, "Predictions JSON (format in docs/scoring.md)");
  CLI::Option* model = command->add_option(
      "--model", options->model, "Run this model on the images instead: a player model on a detection set, a pitch model on a keypoint set");
  predictions->excludes(model);
  command->add_option("--write-predictions", options->write_predictions, "With --model: save its predictions to this file")
      ->needs(model);
  command->add_option("--iou", options->iou, "IoU a detection needs to match a label")->check(CLI::Range(0.05, 1.0));
  const std::string settings = "Model settings (with --model; the same meaning as for process)";
  command->add_option("--device", options->device, "Where the model runs: cpu, cuda or cuda:N")->capture_default_str()->group(settings);
  command->add_option("--threads", options->threads, "CPU threads for inference (0: one per core)")
      ->capture_default_str()->check(CLI::NonNegativeNumber)->group(settings);
  command->add_option("--img-size", options->input_size,
                      "Input size for a model file that does not record its own (0: 1280 for boxes, 640 for keypoints)")
      ->capture_default_str()->check(CLI::NonNegativeNumber)->group(settings);
  command->add_option("--conf", options->decode.confidence_threshold, "Detection confidence threshold")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0))->group(settings);
  command->add_option("--nms-iou", options->decode.iou_threshold, "NMS IoU threshold")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0))->group(settings);
  command->add_option("--keypoint-conf", options->keypoint_threshold, "Keypoints under this confidence count as not seen")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0))->group(settings);
  command->add_flag("--json", options->json, "Print JSON instead of a table");
  command->callback([options] { run_eval(*options); });
}

}  // namespace sn44::cli

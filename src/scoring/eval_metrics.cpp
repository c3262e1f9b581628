#include "scoring/eval_metrics.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <sstream>

#include "core/ascii.h"
#include "core/error.h"
#include "core/file_contents.h"
#include "scoring/json_fields.h"

namespace sn44::scoring {
namespace {

using nlohmann::json;

constexpr size_t kDetectionFields = 5;
constexpr size_t kPoseFields = kDetectionFields + 3 * kPitchVertexCount;

bool is_image(const std::filesystem::path& path) {
  const std::string extension = ascii_lowercase(path.extension().string());
  return extension == ".jpg" || extension == ".jpeg" || extension == ".png" || extension == ".bmp";
}

void read_label_file(const std::filesystem::path& path, LabelledImage& image) {
  std::ifstream file(path);
  if (!file) throw Error(ErrorKind::not_found, "cannot open label file " + path.string());
  std::string line;
  for (int line_number = 1; std::getline(file, line); ++line_number) {
    std::istringstream fields(line);
    std::vector<double> values;
    for (double value; fields >> value;) values.push_back(value);
    const std::string where = path.string() + ":" + std::to_string(line_number);
    if (!fields.eof()) throw Error(ErrorKind::invalid_argument, where + ": not a list of numbers");
    if (values.empty()) continue;
    if (values.size() != kDetectionFields && values.size() != kPoseFields) {
      throw Error(ErrorKind::invalid_argument, where + ": expected 5 (box) or 101 (box + 32 keypoints) values, got " +
                                                   std::to_string(values.size()));
    }
    const double w = image.width, h = image.height;
    const double cx = values[1] * w, cy = values[2] * h, bw = values[3] * w, bh = values[4] * h;
    const Box box{static_cast<float>(cx - bw / 2), static_cast<float>(cy - bh / 2), static_cast<float>(cx + bw / 2),
                  static_cast<float>(cy + bh / 2)};
    if (values.size() == kDetectionFields) {
      image.boxes.push_back({static_cast<int>(values[0]), box});
      continue;
    }
    if (image.keypoints) throw Error(ErrorKind::invalid_argument, where + ": a second pitch in one image");
    EvalKeypoints keypoints{};
    for (size_t k = 0; k < keypoints.size(); ++k) {
      const double* triplet = &values[kDetectionFields + 3 * k];
      keypoints[k] = {triplet[0] * w, triplet[1] * h, triplet[2] > 0};
    }
    image.keypoints = keypoints;
  }
}

// Errors say "malformed predictions JSON: <where>: <what>".
constexpr JsonFields kPredictions{"predictions JSON"};

EvalKeypoints parse_predicted_keypoints(const json& value, const std::string& where) {
  if (!value.is_array() || value.size() != kPitchVertexCount) kPredictions.malformed(where, "expected 32 keypoints");
  EvalKeypoints keypoints{};
  for (size_t k = 0; k < keypoints.size(); ++k) {
    const json& point = value[k];
    const std::string point_where = where + "[" + std::to_string(k) + "]";
    if (!point.is_array() || point.size() < 2 || point.size() > 3) {
      kPredictions.malformed(point_where, "expected [x, y] or [x, y, confidence]");
    }
    const double x = kPredictions.number(point[0], point_where), y = kPredictions.number(point[1], point_where);
    const bool confident = point.size() < 3 || kPredictions.number(point[2], point_where) > 0;
    keypoints[k] = {x, y, confident && !(x == 0 && y == 0)};
  }
  return keypoints;
}

Detection parse_detection(const json& value, const std::string& where) {
  if (!value.is_object()) kPredictions.malformed(where, "expected an object");
  const auto bbox = value.find("bbox");
  if (bbox == value.end() || !bbox->is_array() || bbox->size() != 4) kPredictions.malformed(where, "expected \"bbox\": [x1, y1, x2, y2]");
  const auto class_id = value.find("class_id");
  if (class_id == value.end() || !class_id->is_number_integer()) kPredictions.malformed(where, "expected an integer \"class_id\"");
  const auto score = value.find("score");
  Detection detection;
  const auto coordinate = [&](size_t i) { return static_cast<float>(kPredictions.number((*bbox)[i], where)); };
  detection.box = {coordinate(0), coordinate(1), coordinate(2), coordinate(3)};
  detection.class_id = class_id->get<int>();
  detection.score = score == value.end() ? 1.0f : static_cast<float>(kPredictions.number(*score, where + ".score"));
  return detection;
}

double iou(const Box& a, const Box& b) {
  const Box overlap{std::max(a.x1, b.x1), std::max(a.y1, b.y1), std::min(a.x2, b.x2), std::min(a.y2, b.y2)};
  const double intersection = overlap.area();
  const double united = static_cast<double>(a.area()) + b.area() - intersection;
  return united > 0 ? intersection / united : 0.0;
}

double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0.0; }

// All-point interpolated AP: the area under the precision envelope (precision made non-increasing in
// recall), summed at every recall step. `hits` are the predictions' outcomes in descending score order.
double average_precision(const std::vector<bool>& hits, int labelled) {
  if (labelled == 0) return 0.0;
  std::vector<double> precision, recall;
  int true_positives = 0;
  for (size_t i = 0; i < hits.size(); ++i) {
    true_positives += hits[i];
    precision.push_back(static_cast<double>(true_positives) / static_cast<double>(i + 1));
    recall.push_back(static_cast<double>(true_positives) / labelled);
  }
  for (size_t i = precision.size(); i-- > 1;) precision[i - 1] = std::max(precision[i - 1], precision[i]);
  double area = 0, previous_recall = 0;
  for (size_t i = 0; i < recall.size(); ++i) {
    area += (recall[i] - previous_recall) * precision[i];
    previous_recall = recall[i];
  }
  return area;
}

}  // namespace

std::vector<LabelledImage> read_yolo_labels(const std::filesystem::path& folder) {
  if (!std::filesystem::is_directory(folder)) throw Error(ErrorKind::not_found, "label folder not found: " + folder.string());
  std::filesystem::path split = folder;
  if (!std::filesystem::is_directory(split / "images") && std::filesystem::is_directory(folder / "valid" / "images")) {
    split = folder / "valid";
  }
  if (!std::filesystem::is_directory(split / "images")) {
    throw Error(ErrorKind::not_found, "no images/ folder in " + folder.string() + " (nor in its valid/)");
  }
  std::vector<std::filesystem::path> image_paths;
  for (const auto& entry : std::filesystem::directory_iterator(split / "images")) {
    if (entry.is_regular_file() && is_image(entry.path())) image_paths.push_back(entry.path());
  }
  std::sort(image_paths.begin(), image_paths.end());
  if (image_paths.empty()) throw Error(ErrorKind::not_found, "no images in " + (split / "images").string());

  std::vector<LabelledImage> images;
  for (const std::filesystem::path& path : image_paths) {
    const cv::Mat pixels = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
    if (pixels.empty()) throw Error(ErrorKind::corrupt_data, "cannot decode image " + path.string());
    LabelledImage image{path.filename().string(), path, pixels.cols, pixels.rows, {}, std::nullopt};
    // An image without a label file is a background image (no objects), as in YOLO datasets.
    const std::filesystem::path label = split / "labels" / path.filename().replace_extension(".txt");
    if (std::filesystem::exists(label)) read_label_file(label, image);
    images.push_back(std::move(image));
  }
  return images;
}

Predictions parse_predictions(const std::string& json_text) {
  const json body = kPredictions.parse(json_text);
  if (!body.is_object() || !body.contains("images") || !body["images"].is_object()) {
    kPredictions.malformed("top level", "expected an object with an \"images\" object");
  }
  Predictions predictions;
  for (const auto& [name, value] : body["images"].items()) {
    const std::string where = "images[\"" + name + "\"]";
    if (!value.is_object()) kPredictions.malformed(where, "expected an object");
    PredictedImage image;
    if (const auto detections = value.find("detections"); detections != value.end()) {
      if (!detections->is_array()) kPredictions.malformed(where + ".detections", "expected a list");
      for (size_t i = 0; i < detections->size(); ++i) {
        image.detections.push_back(parse_detection((*detections)[i], where + ".detections[" + std::to_string(i) + "]"));
      }
    }
    if (const auto keypoints = value.find("keypoints"); keypoints != value.end()) {
      image.keypoints = parse_predicted_keypoints(*keypoints, where + ".keypoints");
    }
    predictions.emplace(name, std::move(image));
  }
  return predictions;
}

Predictions read_predictions(const std::filesystem::path& path) {
  const std::optional<std::string> text = read_file_contents(path);
  if (!text) throw Error(ErrorKind::not_found, "cannot open predictions file " + path.string());
  return parse_predictions(*text);
}

std::string format_predictions(const Predictions& predictions) {
  json images = json::object();
  for (const auto& [name, image] : predictions) {
    json entry = json::object();
    json detections = json::array();
    for (const Detection& d : image.detections) {
      detections.push_back({{"bbox", {d.box.x1, d.box.y1, d.box.x2, d.box.y2}}, {"class_id", d.class_id}, {"score", d.score}});
    }
    entry["detections"] = std::move(detections);
    if (image.keypoints) {
      json keypoints = json::array();
      for (const EvalKeypoint& k : *image.keypoints) keypoints.push_back(k.visible ? json{k.x, k.y} : json{0, 0});
      entry["keypoints"] = std::move(keypoints);
    }
    images[name] = std::move(entry);
  }
  return json{{"images", std::move(images)}}.dump(1);
}

void require_labelled_images(const std::vector<LabelledImage>& labels, const Predictions& predictions) {
  std::set<std::string> names;
  for (const LabelledImage& image : labels) names.insert(image.name);
  for (const auto& [name, prediction] : predictions) {
    if (!names.count(name)) throw Error(ErrorKind::invalid_argument, "predictions name image " + name + ", which is not in the labelled set");
  }
}

DetectionMetrics evaluate_detections(const std::vector<LabelledImage>& labels, const Predictions& predictions,
                                     double iou_threshold) {
  struct Outcome {
    float score;
    bool hit;
  };
  std::array<std::vector<Outcome>, kDetectionClassCount> outcomes;
  DetectionMetrics metrics;
  for (const LabelledImage& image : labels) {
    for (const LabelledBox& box : image.boxes) {
      if (box.class_id >= 0 && box.class_id < kDetectionClassCount) ++metrics.classes[static_cast<size_t>(box.class_id)].labelled;
    }
    const auto found = predictions.find(image.name);
    if (found == predictions.end()) continue;
    std::vector<Detection> ordered = found->second.detections;
    std::stable_sort(ordered.begin(), ordered.end(), [](const Detection& a, const Detection& b) { return a.score > b.score; });
    std::vector<bool> matched(image.boxes.size(), false);
    for (const Detection& detection : ordered) {
      if (detection.class_id < 0 || detection.class_id >= kDetectionClassCount) continue;
      double best_iou = 0;
      std::optional<size_t> best;
      for (size_t i = 0; i < image.boxes.size(); ++i) {
        if (matched[i] || image.boxes[i].class_id != detection.class_id) continue;
        const double overlap = iou(detection.box, image.boxes[i].box);
        if (overlap > best_iou) best_iou = overlap, best = i;
      }
      const bool hit = best && best_iou >= iou_threshold;
      if (hit) matched[*best] = true;
      outcomes[static_cast<size_t>(detection.class_id)].push_back({detection.score, hit});
    }
  }

  int labelled = 0, predicted = 0, hits = 0, classes_with_labels = 0;
  double ap_sum = 0;
  for (size_t c = 0; c < outcomes.size(); ++c) {
    std::stable_sort(outcomes[c].begin(), outcomes[c].end(), [](const Outcome& a, const Outcome& b) { return a.score > b.score; });
    std::vector<bool> ordered_hits;
    for (const Outcome& outcome : outcomes[c]) ordered_hits.push_back(outcome.hit);
    ClassDetectionMetrics& m = metrics.classes[c];
    m.predicted = static_cast<int>(ordered_hits.size());
    m.true_positives = static_cast<int>(std::count(ordered_hits.begin(), ordered_hits.end(), true));
    m.precision = ratio(m.true_positives, m.predicted);
    m.recall = ratio(m.true_positives, m.labelled);
    m.average_precision = average_precision(ordered_hits, m.labelled);
    labelled += m.labelled;
    predicted += m.predicted;
    hits += m.true_positives;
    if (m.labelled > 0) {
      ++classes_with_labels;
      ap_sum += m.average_precision;
    }
  }
  metrics.precision = ratio(hits, predicted);
  metrics.recall = ratio(hits, labelled);
  metrics.mean_average_precision = ratio(ap_sum, classes_with_labels);
  return metrics;
}

KeypointMetrics evaluate_keypoints(const std::vector<LabelledImage>& labels, const Predictions& predictions) {
  KeypointMetrics metrics;
  double error_sum = 0;
  int within_5 = 0, within_10 = 0, within_20 = 0;
  for (const LabelledImage& image : labels) {
    if (!image.keypoints) continue;
    const auto found = predictions.find(image.name);
    const std::optional<EvalKeypoints> predicted = found == predictions.end() ? std::nullopt : found->second.keypoints;
    for (size_t k = 0; k < image.keypoints->size(); ++k) {
      const EvalKeypoint& truth = (*image.keypoints)[k];
      const bool seen = predicted && (*predicted)[k].visible;
      metrics.labelled_visible += truth.visible;
      metrics.predicted_visible += seen;
      if (!truth.visible || !seen) continue;
      ++metrics.both_visible;
      const double error = std::hypot((*predicted)[k].x - truth.x, (*predicted)[k].y - truth.y);
      error_sum += error;
      within_5 += error <= 5;
      within_10 += error <= 10;
      within_20 += error <= 20;
    }
  }
  metrics.mean_pixel_error = ratio(error_sum, metrics.both_visible);
  metrics.pck_5 = ratio(within_5, metrics.labelled_visible);
  metrics.pck_10 = ratio(within_10, metrics.labelled_visible);
  metrics.pck_20 = ratio(within_20, metrics.labelled_visible);
  metrics.visibility_precision = ratio(metrics.both_visible, metrics.predicted_visible);
  metrics.visibility_recall = ratio(metrics.both_visible, metrics.labelled_visible);
  return metrics;
}

}  // namespace sn44::scoring

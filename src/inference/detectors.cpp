#include "inference/detectors.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/error.h"
#include "core/stopwatch.h"
#include "inference/model_metadata.h"

namespace sn44::inference {
namespace {

int expected_channels(const ExpectedLayout& layout) { return 4 + layout.num_classes + 3 * layout.num_keypoints; }

void check_layout(const ModelInfo& info, const ExpectedLayout& layout, const ModelOutput& output) {
  const std::string name = layout.role + " model '" + info.path.string() + "'";
  if (info.task != layout.task) {
    throw Error(ErrorKind::unsupported, name + " is a " + (info.task == ModelTask::pose ? "pose" : "detection") +
                                            " model; the " + layout.role + " model must be a " +
                                            (layout.task == ModelTask::pose ? "pose" : "detection") + " model");
  }
  if (output.channels != expected_channels(layout)) {
    throw Error(ErrorKind::unsupported, name + " outputs " + std::to_string(output.channels) +
                                            " values per anchor; expected " + std::to_string(expected_channels(layout)) +
                                            " (" + layout.description + ")");
  }
  const int anchors = yolo_anchor_count(info.input_width, info.input_height);
  if (output.anchors != anchors) {
    throw Error(ErrorKind::unsupported, name + " outputs " + std::to_string(output.anchors) + " anchors for a " +
                                            std::to_string(info.input_width) + "x" + std::to_string(info.input_height) +
                                            " input; a YOLOv8 model gives " + std::to_string(anchors));
  }
}

std::string numbered(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) text += (i > 0 ? ", " : "") + std::to_string(i) + " " + names[i];
  return text;
}

std::vector<std::string> model_notes(const ModelInfo& info, const ExpectedLayout& layout) {
  const std::string name = layout.role + " model '" + info.path.string() + "'";
  std::vector<std::string> notes;
  for (const std::string& note : info.notes) notes.push_back(name + ": " + note);
  if (!info.class_names.empty() && !layout.class_names.empty()) {
    std::vector<std::string> found;
    for (const std::string& class_name : info.class_names) found.push_back(ascii_lowercase(class_name));
    if (found != layout.class_names) {
      notes.push_back(name + " numbers its classes " + numbered(info.class_names) + "; the validator reads " +
                      numbered(layout.class_names) + ", and ids are sent as the model numbers them");
    }
  }
  if (info.input_width == info.input_height && !info.any_input_size) {
    // ultralytics pads a .pt model's input only to a multiple of 32: 16:9 frames run at S x 9S/16, rounded up.
    const int reference_height = (info.input_width * 9 / 16 + 31) / 32 * 32;
    notes.push_back(name + " takes a square " + std::to_string(info.input_width) + "x" + std::to_string(info.input_height) +
                    " input; the reference runs a 16:9 clip at " + std::to_string(info.input_width) + "x" +
                    std::to_string(reference_height) + ", so answers differ slightly from its own and cost more: export with imgsz=" +
                    std::to_string(reference_height) + "," + std::to_string(info.input_width) + " (docs/models.md)");
  }
  return notes;
}

}  // namespace

YoloRunner::YoloRunner(std::unique_ptr<Model> model, ExpectedLayout layout, DecodeOptions options)
    : model_(std::move(model)), layout_(std::move(layout)), options_(options) {
  const ModelInfo& info = model_->info();
  input_.assign(3 * static_cast<size_t>(info.input_width) * static_cast<size_t>(info.input_height), 114.0f / 255.0f);
  check_layout(info, layout_, model_->forward(input_, 1));
  notes_ = model_notes(info, layout_);
  // On the CPU, OpenCV's letterbox into the engine's buffer is as fast and the output is already
  // on the host: the device path pays only on a GPU.
  if (info.device != "cpu" && DeviceYoloEngine::supports(*model_)) {
    uploader_ = std::make_unique<FrameUploader>(info.device);
    engine_ = std::make_unique<DeviceYoloEngine>(*model_, layout_.num_classes, options_);
  }
}

YoloRunner::~YoloRunner() = default;
YoloRunner::YoloRunner(YoloRunner&&) noexcept = default;
YoloRunner& YoloRunner::operator=(YoloRunner&&) noexcept = default;

StageSeconds YoloRunner::seconds() const {
  StageSeconds total = seconds_;
  if (engine_) {
    total.preprocess += engine_->seconds().preprocess;
    total.forward += engine_->seconds().forward;
    total.postprocess += engine_->seconds().postprocess;
  }
  return total;
}

void YoloRunner::pad_batches_to(std::vector<int> sizes) {
  if (uploader_) uploader_->pad_batches_to(std::move(sizes));
}

FrameBatch YoloRunner::prepare(std::span<const cv::Mat> frames) {
  FrameBatch batch{frames, nullptr};
  const bool one_size = std::all_of(frames.begin(), frames.end(), [&](const cv::Mat& frame) { return frame.size() == frames.front().size(); });
  if (uploader_ && !frames.empty() && one_size) {
    const Stopwatch upload;
    batch.on_device = uploader_->upload(frames);
    seconds_.preprocess += upload.seconds();
  }
  return batch;
}

void YoloRunner::submit(const FrameBatch& batch) {
  const ModelInfo& info = model_->info();
  const cv::Size model_size(info.input_width, info.input_height);
  Submitted submitted;
  std::vector<ImageResult>& results = submitted.results;
  results.resize(batch.frames.size());
  for (size_t i = 0; i < batch.frames.size(); ++i) {
    // A model that takes any size gets the smallest input that holds the frame, as the reference
    // runs its .pt model: less to compute, and the same padding, so the same answer.
    results[i].geometry = info.any_input_size ? compute_letterbox_to_stride(batch.frames[i].size(), model_size, info.stride)
                                              : compute_letterbox(batch.frames[i].size(), model_size);
  }
  // One forward pass per run of frames with the same input size (all of a clip's frames).
  for (size_t first = 0; first < batch.frames.size();) {
    const cv::Size input_size = results[first].geometry.input;
    size_t end = first + 1;
    while (end < batch.frames.size() && results[end].geometry.input == input_size) ++end;
    const std::span<const cv::Mat> run_frames = batch.frames.subspan(first, end - first);
    if (engine_) {
      const bool whole_batch = first == 0 && end == batch.frames.size() && batch.on_device;
      engine_->submit(whole_batch ? batch.on_device : prepare(run_frames).on_device, results[first].geometry);
      submitted.device_runs.push_back(end - first);
    } else {
      run_same_size(run_frames, std::span<ImageResult>(results).subspan(first, end - first));
    }
    first = end;
  }
  submitted_.push_back(std::move(submitted));
}

std::vector<YoloRunner::ImageResult> YoloRunner::collect() {
  if (submitted_.empty()) throw Error(ErrorKind::internal, "no batch was submitted to the " + layout_.role + " model");
  Submitted submitted = std::move(submitted_.front());
  submitted_.pop_front();
  size_t first = 0;
  for (const size_t count : submitted.device_runs) {
    std::vector<std::vector<RawDetection>> detections = engine_->collect();
    for (size_t i = 0; i < count; ++i) submitted.results[first + i].detections = std::move(detections[i]);
    first += count;
  }
  return std::move(submitted.results);
}

void YoloRunner::discard_submitted() {
  if (engine_) engine_->discard_queued();
  submitted_.clear();
}

std::vector<YoloRunner::ImageResult> YoloRunner::run(std::span<const cv::Mat> frames) {
  submit(prepare(frames));
  return collect();
}

void YoloRunner::run_same_size(std::span<const cv::Mat> frames, std::span<ImageResult> results) {
  const cv::Size input_size = results.front().geometry.input;
  const size_t image_size = 3 * static_cast<size_t>(input_size.area());

  const Stopwatch preprocess;
  input_.resize(image_size * frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    letterbox_to_chw(frames[i], results[i].geometry, input_.data() + i * image_size, resize_buffer_);
  }
  seconds_.preprocess += preprocess.seconds();

  const Stopwatch forward;
  const ModelOutput output = model_->forward(input_, static_cast<int>(frames.size()), InputSize{input_size.width, input_size.height});
  seconds_.forward += forward.seconds();

  const Stopwatch postprocess;
  for (size_t i = 0; i < frames.size(); ++i) {
    results[i].detections =
        decode_yolo_output(output.image(static_cast<int>(i)), output.channels, output.anchors, layout_.num_classes, options_);
  }
  seconds_.postprocess += postprocess.seconds();
}

PlayerDetector::PlayerDetector(std::unique_ptr<Model> model, const DecodeOptions& options)
    : runner_(std::move(model),
              ExpectedLayout{"player", ModelTask::detect, 4, 0, "4 box values + 4 classes: ball, goalkeeper, player, referee",
                             {"ball", "goalkeeper", "player", "referee"}},
              options) {}

std::vector<std::vector<Detection>> PlayerDetector::detect(std::span<const cv::Mat> frames) {
  runner_.submit(runner_.prepare(frames));
  return collect();
}

std::vector<std::vector<Detection>> PlayerDetector::collect() {
  const std::vector<YoloRunner::ImageResult> images = runner_.collect();
  std::vector<std::vector<Detection>> detections;
  detections.reserve(images.size());
  for (const auto& image : images) {
    auto& frame_detections = detections.emplace_back();
    frame_detections.reserve(image.detections.size());
    for (const RawDetection& raw : image.detections) {
      frame_detections.push_back(Detection{box_to_frame(raw.box, image.geometry), raw.score, raw.class_id});
    }
  }
  return detections;
}

PitchDetector::PitchDetector(std::unique_ptr<Model> model, const DecodeOptions& options, float keypoint_threshold)
    : runner_(std::move(model),
              ExpectedLayout{"pitch", ModelTask::pose, 1, kPitchKeypointCount,
                             "4 box values + 1 score + 32 keypoints x (x, y, confidence)", {}},
              options),
      keypoint_threshold_(keypoint_threshold) {}

std::vector<PitchObservation> PitchDetector::detect(std::span<const cv::Mat> frames) {
  runner_.submit(runner_.prepare(frames));
  return collect();
}

std::vector<PitchObservation> PitchDetector::collect() {
  const std::vector<YoloRunner::ImageResult> images = runner_.collect();
  std::vector<PitchObservation> observations;
  observations.reserve(images.size());
  for (const auto& image : images) {
    PitchObservation& observation = observations.emplace_back();
    if (image.detections.empty()) continue;
    observation.detected = true;
    const RawDetection& best = image.detections.front();  // detections come in descending score order
    for (size_t k = 0; k < observation.keypoints.size(); ++k) {
      const Keypoint point = keypoint_to_frame(best.keypoints[k], image.geometry);
      observation.keypoints[k] = point.conf < keypoint_threshold_ ? Keypoint{0, 0, point.conf} : point;
    }
  }
  return observations;
}

}  // namespace sn44::inference

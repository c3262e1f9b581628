#pragma once
// The miner's two models on top of the engine: the player detector (boxes of ball, goalkeepers,
// players, referees) and the pitch detector (32 pitch keypoints). Both letterbox a batch of frames,
// run the model once, and map the results back to frame pixels exactly as ultralytics does.

#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "core/types.h"
#include "inference/device_batch.h"
#include "inference/letterbox.h"
#include "inference/model.h"
#include "inference/yolo_decode.h"

namespace sn44::inference {

// What a model must output for its role, checked once at start-up.
struct ExpectedLayout {
  std::string role;        // "player" or "pitch", for messages
  ModelTask task;
  int num_classes;
  int num_keypoints;
  std::string description;  // what the channels are, for messages
  std::vector<std::string> class_names;  // what the validator reads each class id as, in order; empty: any
};

// Decoded frames on their way to the models. The frames must stay alive until the batch's results
// are collected.
struct FrameBatch {
  std::span<const cv::Mat> frames;
  std::shared_ptr<const DeviceFrames> on_device;  // the same frames in device memory; null on the CPU
};

// Letterboxing, one forward pass and decoding for a batch of frames. Shared by both detectors. A
// TorchScript model on a GPU runs the device path (inference/device_batch.h): submit() queues the
// batch there and collect() waits for it. Elsewhere submit() does the work on the CPU.
class YoloRunner {
 public:
  // Checks the model's output layout with one forward pass of a grey image (which also warms the
  // model up). Throws Error(unsupported) naming the file, the shape found and the shape expected.
  YoloRunner(std::unique_ptr<Model> model, ExpectedLayout layout, DecodeOptions options);
  ~YoloRunner();
  YoloRunner(YoloRunner&&) noexcept;
  YoloRunner& operator=(YoloRunner&&) noexcept;

  struct ImageResult {
    LetterboxGeometry geometry;
    std::vector<RawDetection> detections;  // model-input pixels
  };
  // The frames with, on the device path, their copy in device memory, which other runners on the
  // same device can take too.
  FrameBatch prepare(std::span<const cv::Mat> frames);
  // Device-path batches are padded to the smallest of these sizes that holds them (see FrameUploader).
  void pad_batches_to(std::vector<int> sizes);
  void submit(const FrameBatch& batch);
  // The results of the oldest batch submitted, one per frame. Throws Error(internal) when none is.
  std::vector<ImageResult> collect();
  std::vector<ImageResult> run(std::span<const cv::Mat> frames);
  // Drops the batches submitted and not collected (after a failure), once the device is done with them.
  void discard_submitted();

  const ModelInfo& model_info() const { return model_->info(); }
  StageSeconds seconds() const;
  // Whether batches run on the device path.
  bool on_device() const { return engine_ != nullptr; }
  // What an operator should know about a model that works: classes named in another order than
  // the validator's ids, or a square input where the reference runs a 16:9 clip rectangular.
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  // `frames` all letterbox to one input size (results[i].geometry, already set).
  void run_same_size(std::span<const cv::Mat> frames, std::span<ImageResult> results);

  struct Submitted {
    std::vector<ImageResult> results;  // complete on the CPU; geometries only on the device path
    std::vector<size_t> device_runs;   // on the device path: the frames of each batch queued there, in order
  };

  std::unique_ptr<Model> model_;
  ExpectedLayout layout_;
  DecodeOptions options_;
  std::unique_ptr<FrameUploader> uploader_;  // device path only
  std::unique_ptr<DeviceYoloEngine> engine_;
  std::deque<Submitted> submitted_;
  std::vector<float> input_;
  cv::Mat resize_buffer_;
  StageSeconds seconds_;
  std::vector<std::string> notes_;
};

class PlayerDetector {
 public:
  PlayerDetector(std::unique_ptr<Model> model, const DecodeOptions& options);
  // One list per frame: boxes in frame pixels, descending score.
  std::vector<std::vector<Detection>> detect(std::span<const cv::Mat> frames);
  // detect() in two steps, so that the host can go on while a GPU computes (see YoloRunner).
  void submit(const FrameBatch& batch) { runner_.submit(batch); }
  std::vector<std::vector<Detection>> collect();
  const YoloRunner& runner() const { return runner_; }
  YoloRunner& runner() { return runner_; }

 private:
  YoloRunner runner_;
};

// The pitch keypoints of one frame: those of the highest-scoring pitch detection (as the reference
// miner emits), in frame pixels, with points under the confidence threshold set to (0, 0).
struct PitchObservation {
  bool detected = false;  // false: no pitch detection, every keypoint is (0, 0)
  std::array<Keypoint, kPitchKeypointCount> keypoints{};
};

class PitchDetector {
 public:
  PitchDetector(std::unique_ptr<Model> model, const DecodeOptions& options, float keypoint_threshold);
  std::vector<PitchObservation> detect(std::span<const cv::Mat> frames);
  void submit(const FrameBatch& batch) { runner_.submit(batch); }
  std::vector<PitchObservation> collect();
  const YoloRunner& runner() const { return runner_; }
  YoloRunner& runner() { return runner_; }

 private:
  YoloRunner runner_;
  float keypoint_threshold_;
};

}  // namespace sn44::inference

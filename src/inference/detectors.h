#pragma once
// The miner's two models on top of the engine: the player detector (boxes of ball, goalkeepers,
// players, referees) and the pitch detector (32 pitch keypoints). Both letterbox a batch of frames,
// run the model once, and map the results back to frame pixels exactly as ultralytics does.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "core/types.h"
#include "inference/letterbox.h"
#include "inference/model.h"
#include "inference/yolo_decode.h"

namespace sn44::inference {

// Time spent per step, summed over calls.
struct StageSeconds {
  double preprocess = 0;
  double forward = 0;
  double postprocess = 0;
};

// What a model must output for its role, checked once at start-up.
struct ExpectedLayout {
  std::string role;        // "player" or "pitch", for messages
  ModelTask task;
  int num_classes;
  int num_keypoints;
  std::string description;  // what the channels are, for messages
  std::vector<std::string> class_names;  // what the validator reads each class id as, in order; empty: any
};

// Letterboxing, one forward pass and decoding for a batch of frames. Shared by both detectors.
class YoloRunner {
 public:
  // Checks the model's output layout with one forward pass of a grey image (which also warms the
  // model up). Throws Error(unsupported) naming the file, the shape found and the shape expected.
  YoloRunner(std::unique_ptr<Model> model, ExpectedLayout layout, DecodeOptions options);

  struct ImageResult {
    LetterboxGeometry geometry;
    std::vector<RawDetection> detections;  // model-input pixels
  };
  std::vector<ImageResult> run(std::span<const cv::Mat> frames);

  const ModelInfo& model_info() const { return model_->info(); }
  const StageSeconds& seconds() const { return seconds_; }
  // What an operator should know about a model that works: classes named in another order than
  // the validator's ids, or a square input where the reference runs a 16:9 clip rectangular.
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  // `frames` all letterbox to one input size (results[i].geometry, already set).
  void run_same_size(std::span<const cv::Mat> frames, std::span<ImageResult> results);

  std::unique_ptr<Model> model_;
  ExpectedLayout layout_;
  DecodeOptions options_;
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
  const YoloRunner& runner() const { return runner_; }

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
  const YoloRunner& runner() const { return runner_; }

 private:
  YoloRunner runner_;
  float keypoint_threshold_;
};

}  // namespace sn44::inference

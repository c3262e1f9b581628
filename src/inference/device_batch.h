#pragma once
// The batched path of the models LibTorch runs as modules on a tensor device: a CUDA GPU in
// production, the CPU in the tests. A batch of decoded frames goes to the device once for both
// models (through pinned host memory, copied asynchronously); each model letterboxes it there
// (resize, padding, RGB order, scaling to [0, 1], in its own precision), runs it on its own stream,
// and keeps the anchors over the confidence threshold, so that a few rows come back to the host
// instead of the whole output. Submitting queues that work and returns; collecting waits for the
// oldest batch and decodes its rows (NMS) on the host, with the CPU path's code. The host thus
// decodes, submits and tracks while the device computes, and both models run at once.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "inference/letterbox.h"
#include "inference/model.h"
#include "inference/yolo_decode.h"

namespace sn44::inference {

// A batch of frames in device memory (defined by the LibTorch sources).
struct DeviceFrames;

class FrameUploader {
 public:
  // `device`: the models' ("cpu", "cuda" or "cuda:N"). Throws Error as parse_device.
  explicit FrameUploader(const std::string& device);
  ~FrameUploader();
  FrameUploader(const FrameUploader&) = delete;
  FrameUploader& operator=(const FrameUploader&) = delete;

  // A batch is padded to the smallest of these sizes that holds it (none: not padded), so that the
  // device meets only the batch shapes the start-up warmed up.
  void pad_batches_to(std::vector<int> sizes);
  // Copies the frames (BGR, 8 bits, all of one size) to the device. On a GPU it returns before the
  // copy is done: the models' streams wait for it. Throws Error(internal) for no frames, frames of
  // several sizes or another pixel format.
  std::shared_ptr<const DeviceFrames> upload(std::span<const cv::Mat> frames);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

class DeviceYoloEngine {
 public:
  // Anchors over the threshold brought back per frame. A frame with more (not seen with real
  // models: tens of boxes per frame) is decoded from its whole output, so answers never change.
  static constexpr int kMaxCandidateRows = 512;

  // Whether the engine can run `model`: one LibTorch module (a TorchScript file).
  static bool supports(const Model& model);

  // `model` must outlive the engine; `num_classes` of its output rows after the box are class scores.
  // `max_rows`: anchors over the threshold brought back per frame.
  DeviceYoloEngine(Model& model, int num_classes, DecodeOptions options, int max_rows = kMaxCandidateRows);
  ~DeviceYoloEngine();
  DeviceYoloEngine(const DeviceYoloEngine&) = delete;
  DeviceYoloEngine& operator=(const DeviceYoloEngine&) = delete;

  // Queues one batch whose frames all letterbox as `geometry` says. Throws Error(invalid_argument)
  // for an input size the model cannot take, Error(unsupported) when the model fails.
  void submit(std::shared_ptr<const DeviceFrames> frames, const LetterboxGeometry& geometry);
  // The detections (model-input pixels) of the oldest batch queued, one list per frame, as
  // decode_yolo_output gives them. Throws Error(internal) when none is queued.
  std::vector<std::vector<RawDetection>> collect();
  // Drops the queued batches, once the device is done with them.
  void discard_queued();

  const StageSeconds& seconds() const;
  // Frames decoded from their whole output (more candidates than kMaxCandidateRows).
  int64_t whole_output_frames() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sn44::inference

#pragma once
// The offline analysis of one clip: decode (own thread) -> batches of frames -> player and pitch
// models -> ByteTrack -> interpolation of the frames skipped under FRAME_STRIDE -> one result entry
// per decoded frame. The models are loaded once and serve every clip (the server keeps one Pipeline).

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/growing_file.h"
#include "core/types.h"
#include "inference/model.h"
#include "inference/yolo_decode.h"
#include "tracking/byte_tracker.h"
#include "video/decoder.h"

namespace sn44 {
class Stopwatch;
namespace video {
class FrameReader;
}
}  // namespace sn44

namespace sn44::pipeline {

// What the models compute in. automatic: FP16 on a GPU (1.5 times FP32's speed on an H200, boxes
// within a pixel: tests/inference/gpu_inference_test.cpp), FP32 on the CPU.
enum class Precision { automatic, fp32, fp16 };

// The names a user gives a precision by (PRECISION): auto, fp32, fp16.
const std::map<std::string, Precision>& precision_names();

struct PipelineConfig {
  std::filesystem::path player_model;
  std::filesystem::path pitch_model;
  std::string device = "cpu";
  int player_input_size = 1280;  // used only for model files that do not state their input size
  int pitch_input_size = 640;
  int batch_size = 1;            // frames per forward pass
  int first_batch_size = 4;      // frames in a clip's first batch (at most batch_size): the models start early
  Precision precision = Precision::automatic;
  int prefetch_frames = 64;      // decoded frames waiting for the models, at most
  int frame_stride = 1;          // run the models on every N-th frame, interpolate the others
  int threads = 0;               // CPU threads for inference; 0 = one per core
  int warmup_runs = 2;           // forward passes per batch shape before the first clip: LibTorch's
                                 // graph executor profiles a new shape, then optimises for it
  inference::DecodeOptions player_decode;
  inference::DecodeOptions pitch_decode;
  float keypoint_threshold = 0.5f;
  tracking::ByteTrackConfig tracker;
  video::DecoderOptions decoder;
};

// Checks the values a user can set; throws Error(invalid_argument) naming the setting.
void validate(const PipelineConfig& config);

// Whether the models run in FP16 under `config` (its precision on its device).
bool half_precision(const PipelineConfig& config);

struct PipelineStats {
  int64_t frames = 0;                // decoded (and in the result)
  int64_t inferred_frames = 0;       // run through the models
  double first_frame_seconds = 0;    // from the start until the first frame was decoded
  double decode_seconds = 0;         // decode thread busy time
  double preprocess_seconds = 0;     // letterboxing, both models
  double forward_seconds = 0;        // model forward passes, both models (on a GPU: queuing them and waiting for results)
  double postprocess_seconds = 0;    // output decoding and NMS, both models
  double tracking_seconds = 0;       // ByteTrack and interpolation
  double total_seconds = 0;          // end to end
  std::string damage;                // why decoding ended before the end of the file (frames has those before); empty if it did not

  double decode_fps() const { return decode_seconds > 0 ? static_cast<double>(frames) / decode_seconds : 0; }
  double inference_fps() const {
    const double busy = preprocess_seconds + forward_seconds + postprocess_seconds;
    return busy > 0 ? static_cast<double>(inferred_frames) / busy : 0;
  }
};

struct PipelineResult {
  std::vector<FrameResult> frames;
  PipelineStats stats;
};

// Called after each batch: frames decoded so far and the container's (unreliable) frame count.
using ProgressCallback = std::function<void(int64_t frames_done, int64_t frames_expected)>;

class Pipeline {
 public:
  // Loads, checks and warms up both models. Throws Error naming the model and the cause.
  explicit Pipeline(PipelineConfig config);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Analyses one clip. Throws Error for an unreadable or empty video, and Error(timeout) when `stop`
  // is requested (checked between batches).
  PipelineResult process(const std::filesystem::path& video, const ProgressCallback& progress = {},
                         std::stop_token stop = {});
  // The same for a video still downloading: decoding and the models start on its first bytes. A
  // failed download's error is thrown as it is.
  PipelineResult process(const GrowingFile& video, const ProgressCallback& progress = {}, std::stop_token stop = {});

  const PipelineConfig& config() const { return config_; }
  const inference::ModelInfo& player_model() const;
  const inference::ModelInfo& pitch_model() const;
  // What the operator should know about the models (inference::YoloRunner::notes), both models'.
  std::vector<std::string> model_notes() const;

 private:
  struct Models;
  // The analysis once the frames are coming; `started` is when process() was called.
  PipelineResult process_frames(video::FrameReader& reader, const std::filesystem::path& video, const Stopwatch& started,
                                const ProgressCallback& progress, std::stop_token stop);
  PipelineConfig config_;
  std::unique_ptr<Models> models_;
};

}  // namespace sn44::pipeline

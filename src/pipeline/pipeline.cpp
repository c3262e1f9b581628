#include "pipeline/pipeline.h"

#include <algorithm>
#include <optional>

#include "core/error.h"
#include "core/stopwatch.h"
#include "inference/detectors.h"
#include "pipeline/interpolation.h"
#include "video/frame_reader.h"

namespace sn44::pipeline {
namespace {

void require(bool condition, const std::string& message) {
  if (!condition) throw Error(ErrorKind::invalid_argument, message);
}

inference::StageSeconds operator-(const inference::StageSeconds& a, const inference::StageSeconds& b) {
  return {a.preprocess - b.preprocess, a.forward - b.forward, a.postprocess - b.postprocess};
}

}  // namespace

void validate(const PipelineConfig& config) {
  require(!config.player_model.empty(), "no player model given (PLAYER_MODEL)");
  require(!config.pitch_model.empty(), "no pitch model given (PITCH_MODEL)");
  require(config.batch_size >= 1 && config.batch_size <= 256, "BATCH_SIZE must be between 1 and 256");
  require(config.first_batch_size >= 1, "FIRST_BATCH_SIZE must be at least 1");
  require(config.precision != Precision::fp16 || config.device.starts_with("cuda"), "PRECISION=fp16 runs on a CUDA device only (DEVICE=cuda)");
  require(config.prefetch_frames >= 1 && config.prefetch_frames <= 4096, "PREFETCH_FRAMES must be between 1 and 4096");
  require(config.frame_stride >= 1 && config.frame_stride <= 100, "FRAME_STRIDE must be between 1 and 100");
  require(config.player_input_size > 0 && config.player_input_size % 32 == 0, "IMG_SIZE must be a positive multiple of 32");
  require(config.pitch_input_size > 0 && config.pitch_input_size % 32 == 0, "PITCH_IMG_SIZE must be a positive multiple of 32");
  require(config.threads >= 0, "the thread count cannot be negative");
  require(config.warmup_runs >= 0, "the warm-up count cannot be negative");
  for (const auto* decode : {&config.player_decode, &config.pitch_decode}) {
    require(decode->confidence_threshold >= 0 && decode->confidence_threshold <= 1, "confidence thresholds must be in [0, 1]");
    require(decode->iou_threshold >= 0 && decode->iou_threshold <= 1, "IoU thresholds must be in [0, 1]");
    require(decode->max_detections >= 1, "the detection limit must be at least 1");
  }
  require(config.keypoint_threshold >= 0 && config.keypoint_threshold <= 1, "the keypoint threshold must be in [0, 1]");
}

const std::map<std::string, Precision>& precision_names() {
  static const std::map<std::string, Precision> names{{"auto", Precision::automatic}, {"fp32", Precision::fp32}, {"fp16", Precision::fp16}};
  return names;
}

bool half_precision(const PipelineConfig& config) {
  return config.precision == Precision::fp16 || (config.precision == Precision::automatic && config.device.starts_with("cuda"));
}

struct Pipeline::Models {
  inference::PlayerDetector players;
  inference::PitchDetector pitch;
};

Pipeline::Pipeline(PipelineConfig config) : config_(std::move(config)) {
  validate(config_);
  const bool half = half_precision(config_);
  inference::ModelOptions player_options{config_.device, config_.threads, config_.player_input_size, half};
  inference::ModelOptions pitch_options{config_.device, config_.threads, config_.pitch_input_size, half};
  models_ = std::make_unique<Models>(Models{
      inference::PlayerDetector(inference::load_model(config_.player_model, player_options), config_.player_decode),
      inference::PitchDetector(inference::load_model(config_.pitch_model, pitch_options), config_.pitch_decode,
                               config_.keypoint_threshold)});
  // A clip runs in batches of these two sizes (its last batch padded up to one of them, on a GPU).
  // The first forward passes at a new batch shape are slow (graph optimisation, cuDNN's choice of
  // kernels, allocations): pay for them now rather than in the first challenge.
  std::vector<int> batch_sizes{std::min(config_.first_batch_size, config_.batch_size)};
  if (batch_sizes.front() != config_.batch_size) batch_sizes.push_back(config_.batch_size);
  models_->players.runner().pad_batches_to(batch_sizes);
  models_->pitch.runner().pad_batches_to(batch_sizes);
  for (const int size : batch_sizes) {
    const std::vector<cv::Mat> warmup(static_cast<size_t>(size), cv::Mat(720, 1280, CV_8UC3, cv::Scalar(114, 114, 114)));
    for (int run = 0; run < config_.warmup_runs; ++run) {
      models_->players.detect(warmup);
      models_->pitch.detect(warmup);
    }
  }
}

Pipeline::~Pipeline() = default;

const inference::ModelInfo& Pipeline::player_model() const { return models_->players.runner().model_info(); }

const inference::ModelInfo& Pipeline::pitch_model() const { return models_->pitch.runner().model_info(); }

std::vector<std::string> Pipeline::model_notes() const {
  std::vector<std::string> notes = models_->players.runner().notes();
  const std::vector<std::string>& pitch = models_->pitch.runner().notes();
  notes.insert(notes.end(), pitch.begin(), pitch.end());
  return notes;
}

PipelineResult Pipeline::process(const std::filesystem::path& video, const ProgressCallback& progress, std::stop_token stop) {
  const Stopwatch total;
  video::FrameReader reader(video, config_.decoder, static_cast<size_t>(config_.prefetch_frames));
  return process_frames(reader, video, total, progress, stop);
}

PipelineResult Pipeline::process(const GrowingFile& video, const ProgressCallback& progress, std::stop_token stop) {
  const Stopwatch total;
  video::FrameReader reader(video, config_.decoder, static_cast<size_t>(config_.prefetch_frames));
  return process_frames(reader, video.path(), total, progress, stop);
}

PipelineResult Pipeline::process_frames(video::FrameReader& reader, const std::filesystem::path& video, const Stopwatch& total,
                                        const ProgressCallback& progress, std::stop_token stop) {
  const inference::StageSeconds players_before = models_->players.runner().seconds();
  const inference::StageSeconds pitch_before = models_->pitch.runner().seconds();
  PipelineResult result;
  PipelineStats& stats = result.stats;

  tracking::ByteTracker tracker(config_.tracker);
  std::vector<InferredFrame> inferred;

  // Three stages overlap: the reader decodes batch N+1 on its thread while the models run batch N
  // (on a GPU, queued there) and this thread decodes and tracks batch N-1.
  struct Batch {
    std::vector<cv::Mat> frames;
    std::vector<int64_t> numbers;
  };
  Batch filling;
  std::optional<Batch> in_flight;
  int64_t submitted_batches = 0;
  const auto finish = [&](const Batch& batch) {
    const auto detections = models_->players.collect();
    const auto pitch = models_->pitch.collect();
    const Stopwatch tracking_time;
    for (size_t i = 0; i < batch.frames.size(); ++i) {
      InferredFrame& frame = inferred.emplace_back();
      frame.frame_number = batch.numbers[i];
      frame.keypoints = pitch[i].keypoints;
      frame.objects = tracker.update(detections[i]);
    }
    stats.tracking_seconds += tracking_time.seconds();
    stats.inferred_frames += static_cast<int64_t>(batch.frames.size());
    if (progress) progress(stats.frames, reader.info().header_frame_count);
  };
  const auto submit = [&] {
    const inference::FrameBatch batch = models_->players.runner().prepare(filling.frames);
    models_->players.submit(batch);
    models_->pitch.submit(batch);
    if (in_flight) finish(*in_flight);
    in_flight = std::move(filling);
    filling = Batch{};
    ++submitted_batches;
  };
  // The first batch is small, so that the models start as soon as a few frames are decoded.
  const auto batch_full = [&] {
    const int size = submitted_batches == 0 ? std::min(config_.first_batch_size, config_.batch_size) : config_.batch_size;
    return filling.frames.size() == static_cast<size_t>(size);
  };

  try {
    // A frame the stride skips is kept until the next one arrives: if it turns out to be the last
    // frame, it is inferred too, so that interpolation never has to extrapolate.
    std::optional<video::Frame> last_skipped;
    while (std::optional<video::Frame> frame = reader.next()) {
      if (stats.frames == 0) stats.first_frame_seconds = total.seconds();
      ++stats.frames;
      if (frame->index % config_.frame_stride != 0) {
        last_skipped = std::move(frame);
        continue;
      }
      last_skipped.reset();
      filling.frames.push_back(frame->bgr);
      filling.numbers.push_back(frame->index);
      if (batch_full()) {
        if (stop.stop_requested()) throw Error(ErrorKind::timeout, "processing stopped after " + std::to_string(stats.frames) + " frames: time limit reached");
        submit();
      }
    }
    if (last_skipped) {
      filling.frames.push_back(last_skipped->bgr);
      filling.numbers.push_back(last_skipped->index);
    }
    if (!filling.frames.empty()) submit();
    if (in_flight) finish(*in_flight);
  } catch (...) {
    // A batch left queued would be collected as the next clip's.
    models_->players.runner().discard_submitted();
    models_->pitch.runner().discard_submitted();
    throw;
  }
  if (stats.frames == 0) throw Error(ErrorKind::corrupt_data, "video '" + video.string() + "': no frame could be decoded");
  stats.damage = reader.damage();

  const Stopwatch interpolation_time;
  result.frames = fill_skipped_frames(inferred, stats.frames);
  stats.tracking_seconds += interpolation_time.seconds();

  const inference::StageSeconds players = models_->players.runner().seconds() - players_before;
  const inference::StageSeconds pitch = models_->pitch.runner().seconds() - pitch_before;
  stats.preprocess_seconds = players.preprocess + pitch.preprocess;
  stats.forward_seconds = players.forward + pitch.forward;
  stats.postprocess_seconds = players.postprocess + pitch.postprocess;
  stats.decode_seconds = reader.decode_seconds();
  stats.total_seconds = total.seconds();
  return result;
}

}  // namespace sn44::pipeline

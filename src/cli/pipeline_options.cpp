#include "cli/pipeline_options.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace sn44::cli {

void log_models(const pipeline::Pipeline& analysis) {
  const std::pair<const char*, const inference::ModelInfo*> models[] = {{"player", &analysis.player_model()},
                                                                         {"pitch", &analysis.pitch_model()}};
  for (const auto& [role, model] : models) {
    std::string classes;
    for (const std::string& name : model->class_names) classes += (classes.empty() ? "" : ", ") + name;
    const std::string input = std::to_string(model->input_width) + "x" + std::to_string(model->input_height) +
                              (model->any_input_size ? " (largest; each clip at the smallest multiple of the stride that holds it)" : "");
    spdlog::info("{} model {}: {} input, classes: {}, on {} in {}", role, model->path.string(), input,
                 classes.empty() ? "not named in the file" : classes, model->device, model->half_precision ? "FP16" : "FP32");
  }
  for (const std::string& note : analysis.model_notes()) spdlog::warn("{}", note);
}

void warn_if_damaged(const pipeline::PipelineStats& stats, const std::string& context) {
  if (stats.damage.empty()) return;
  spdlog::warn("{}{}; the result has the {} frames before it, as the reference miner's would", context, stats.damage, stats.frames);
}

void add_pipeline_options(CLI::App& command, pipeline::PipelineConfig& config) {
  const std::string models = "Models";
  const std::string tuning = "Performance";
  const std::string detection = "Detection";
  // Where scripts/setup.sh puts the models it generates, so that a fresh checkout runs as is.
  if (config.player_model.empty()) config.player_model = "models/player.torchscript";
  if (config.pitch_model.empty()) config.pitch_model = "models/pitch.torchscript";
  command.add_option("--player-model", config.player_model, "Player detector: YOLOv8 detection TorchScript, 4 classes")
      ->envname("PLAYER_MODEL")->capture_default_str()->group(models);
  command.add_option("--pitch-model", config.pitch_model, "Pitch keypoint model: YOLOv8 pose TorchScript, 32 keypoints")
      ->envname("PITCH_MODEL")->capture_default_str()->group(models);
  command.add_option("--device", config.device, "Where the models run: cpu, cuda or cuda:N")
      ->envname("DEVICE")->capture_default_str()->group(models);
  command.add_option("--img-size", config.player_input_size,
                     "Player model input size, for model files that do not record theirs")
      ->envname("IMG_SIZE")->capture_default_str()->group(models);
  command.add_option("--pitch-img-size", config.pitch_input_size,
                     "Pitch model input size, for model files that do not record theirs")
      ->envname("PITCH_IMG_SIZE")->capture_default_str()->group(models);

  command.add_option("--precision", config.precision, "What the models compute in: auto (FP16 on a GPU, FP32 on the CPU), fp32 or fp16")
      ->envname("PRECISION")->transform(CLI::CheckedTransformer(pipeline::precision_names(), CLI::ignore_case))->default_str("auto")->group(models);

  command.add_option("--batch-size", config.batch_size, "Frames per forward pass (16 on a GPU)")
      ->envname("BATCH_SIZE")->capture_default_str()->group(tuning);
  command.add_option("--first-batch-size", config.first_batch_size,
                     "Frames in a clip's first batch, so that the models start early (at most the batch size)")
      ->envname("FIRST_BATCH_SIZE")->capture_default_str()->group(tuning);
  command.add_option("--prefetch-frames", config.prefetch_frames, "Decoded frames buffered ahead of the models")
      ->envname("PREFETCH_FRAMES")->capture_default_str()->group(tuning);
  command.add_option("--frame-stride", config.frame_stride,
                     "Run the models on every N-th frame; the frames between are interpolated")
      ->envname("FRAME_STRIDE")->capture_default_str()->group(tuning);
  command.add_option("--threads", config.threads, "CPU threads for inference (0: one per core)")
      ->envname("INFERENCE_THREADS")->capture_default_str()->group(tuning);
  command.add_option("--warmup-runs", config.warmup_runs, "Forward passes run at start-up, before the first clip")
      ->envname("WARMUP_RUNS")->capture_default_str()->group(tuning);

  command.add_option("--conf", config.player_decode.confidence_threshold, "Player detection confidence threshold")
      ->envname("CONF_THRESHOLD")->capture_default_str()->group(detection);
  command.add_option("--iou", config.player_decode.iou_threshold, "Player detection NMS IoU threshold")
      ->envname("IOU_THRESHOLD")->capture_default_str()->group(detection);
  command.add_flag("--agnostic-nms", config.player_decode.class_agnostic, "One NMS across all classes instead of per class")
      ->envname("AGNOSTIC_NMS")->group(detection);
  command.add_option("--keypoint-conf", config.keypoint_threshold,
                     "Pitch keypoints under this confidence are reported as [0, 0]")
      ->envname("KEYPOINT_THRESHOLD")->capture_default_str()->group(detection);
}

}  // namespace sn44::cli

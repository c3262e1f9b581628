// `sn44-miner process CLIP`: the offline analysis of one clip, writing the validator's result JSON.

#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output_file.h"
#include "cli/pipeline_options.h"
#include "cli/progress_bar.h"
#include "core/error.h"
#include "core/memory_allocator.h"
#include "pipeline/annotator.h"
#include "pipeline/pipeline.h"
#include "pipeline/result_json.h"
#include "video/decoder.h"

namespace sn44::cli {
namespace {

struct ProcessOptions {
  std::filesystem::path clip;
  std::filesystem::path output;       // empty: stdout
  std::filesystem::path annotate;     // empty: no annotated video
  std::filesystem::path stats_json;   // empty: no stats file
  std::string challenge_id = "local";
  bool progress = true;
  pipeline::PipelineConfig pipeline;
};

nlohmann::ordered_json stats_to_json(const pipeline::PipelineStats& stats) {
  return {{"frames", stats.frames},
          {"inferred_frames", stats.inferred_frames},
          {"first_frame_seconds", stats.first_frame_seconds},
          {"decode_seconds", stats.decode_seconds},
          {"decode_fps", stats.decode_fps()},
          {"preprocess_seconds", stats.preprocess_seconds},
          {"forward_seconds", stats.forward_seconds},
          {"postprocess_seconds", stats.postprocess_seconds},
          {"tracking_seconds", stats.tracking_seconds},
          {"inference_fps", stats.inference_fps()},
          {"total_seconds", stats.total_seconds},
          {"damage", stats.damage}};
}

void print_summary(const pipeline::PipelineStats& stats) {
  std::fprintf(stderr,
               "frames: %lld (%lld through the models)\n"
               "first frame decoded after: %.3f s\n"
               "decode: %.1f fps (%.2f s)\n"
               "inference: %.1f fps (pre-processing %.2f s, forward %.2f s, post-processing %.2f s)\n"
               "tracking and interpolation: %.3f s\n"
               "end to end: %.2f s\n",
               static_cast<long long>(stats.frames), static_cast<long long>(stats.inferred_frames),
               stats.first_frame_seconds, stats.decode_fps(), stats.decode_seconds, stats.inference_fps(),
               stats.preprocess_seconds, stats.forward_seconds, stats.postprocess_seconds, stats.tracking_seconds,
               stats.total_seconds);
}

void run_process(const ProcessOptions& options) {
  // A missing or unreadable clip is reported at once, not after the models have loaded (seconds).
  video::Decoder(options.clip, options.pipeline.decoder);
  spdlog::info("loading models (memory allocator: {})", memory_allocator());
  pipeline::Pipeline analysis(options.pipeline);
  log_models(analysis);
  spdlog::info("processing {}", options.clip.string());
  ProgressBar bar("processing", options.progress);
  pipeline::PipelineResult result =
      analysis.process(options.clip, [&](int64_t done, int64_t expected) { bar.update(done, expected); });
  warn_if_damaged(result.stats);

  const std::string body = pipeline::result_to_json(options.challenge_id, result.frames, result.stats.total_seconds);
  if (options.output.empty()) {
    std::fwrite(body.data(), 1, body.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  } else {
    write_file_atomically(options.output, body);
    spdlog::info("result written to {}", options.output.string());
  }
  print_summary(result.stats);
  if (!options.stats_json.empty()) write_file_atomically(options.stats_json, stats_to_json(result.stats).dump(2));
  if (!options.annotate.empty()) {
    spdlog::info("writing the annotated video to {}", options.annotate.string());
    pipeline::write_annotated_video(options.clip, result.frames, options.annotate, options.pipeline.decoder);
  }
}

}  // namespace

void add_process_command(CLI::App& app) {
  auto options = std::make_shared<ProcessOptions>();
  CLI::App* command = app.add_subcommand("process", "Analyse a video file and write the validator's result JSON");
  command->add_option("clip", options->clip, "Video file (MP4, H.264)")->required();
  command->add_option("-o,--output", options->output, "Result JSON file (default: standard output)");
  command->add_option("--annotate", options->annotate, "Also write the clip with boxes, ids and keypoints drawn (.mp4)");
  command->add_option("--stats-json", options->stats_json, "Write the timing summary as JSON to this file");
  command->add_option("--challenge-id", options->challenge_id, "challenge_id written into the result")->capture_default_str();
  command->add_flag("!--no-progress", options->progress, "Do not draw a progress bar");
  add_pipeline_options(*command, options->pipeline);
  command->callback([options] { run_process(*options); });
}

}  // namespace sn44::cli

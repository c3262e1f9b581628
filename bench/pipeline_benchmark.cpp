// A clip end to end through the pipeline, as `sn44-miner process` runs it, many times in one
// process: for each run the time from the file on disk to the result JSON written, the pipeline's
// per-stage breakdown, and the GPU memory in use after it (nvidia-smi, where there is one), so that
// growth over consecutive challenges shows. Links only the analysis modules, so that it builds on a
// GPU host with an analysis-only build (SN44_ANALYSIS_ONLY).
//
//   pipeline_benchmark --player-model P --pitch-model Q --video V [--device cuda] [--batch-size 32]
//                      [--runs 20] [--output results.json]

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/stopwatch.h"
#include "pipeline/pipeline.h"
#include "pipeline/result_json.h"

namespace {

// The GPU memory in use (MiB), read from nvidia-smi: the one place that sees every allocation
// (LibTorch's caching allocator, cuDNN's workspaces, the CUDA context). None without a GPU.
std::optional<double> gpu_memory_mib() {
  FILE* pipe = popen("nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits 2>/dev/null", "r");
  if (pipe == nullptr) return std::nullopt;
  char line[64] = {};
  const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
  if (pclose(pipe) != 0 || !read) return std::nullopt;
  try {
    return std::stod(line);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

nlohmann::ordered_json run_json(int run, double end_to_end, const sn44::pipeline::PipelineStats& stats, std::optional<double> memory) {
  return {{"run", run},
          {"end_to_end_seconds", end_to_end},
          {"frames", stats.frames},
          {"first_frame_seconds", stats.first_frame_seconds},
          {"decode_seconds", stats.decode_seconds},
          {"preprocess_seconds", stats.preprocess_seconds},
          {"forward_and_wait_seconds", stats.forward_seconds},
          {"postprocess_seconds", stats.postprocess_seconds},
          {"tracking_seconds", stats.tracking_seconds},
          {"pipeline_seconds", stats.total_seconds},
          {"gpu_memory_mib", memory ? nlohmann::ordered_json(*memory) : nlohmann::ordered_json()}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("The pipeline end to end on one clip, run after run");
  sn44::pipeline::PipelineConfig config;
  std::filesystem::path video;
  std::filesystem::path output;
  std::filesystem::path results_dir = std::filesystem::temp_directory_path();
  int runs = 5;
  app.add_option("--player-model", config.player_model)->required();
  app.add_option("--pitch-model", config.pitch_model)->required();
  app.add_option("--video", video)->required()->check(CLI::ExistingFile);
  app.add_option("--device", config.device)->capture_default_str();
  app.add_option("--batch-size", config.batch_size)->capture_default_str();
  app.add_option("--first-batch-size", config.first_batch_size)->capture_default_str();
  app.add_option("--precision", config.precision, "auto, fp32 or fp16")
      ->transform(CLI::CheckedTransformer(sn44::pipeline::precision_names(), CLI::ignore_case))->default_str("auto");
  app.add_option("--threads", config.threads)->capture_default_str();
  app.add_option("--runs", runs, "Clips analysed one after the other")->check(CLI::Range(1, 1000))->capture_default_str();
  app.add_option("--results-dir", results_dir, "Where each run's result JSON is written")->capture_default_str();
  app.add_option("--output", output, "Writes the runs and the start-up as JSON");
  CLI11_PARSE(app, argc, argv);

  try {
    const sn44::Stopwatch startup;
    sn44::pipeline::Pipeline pipeline(config);
    const double startup_seconds = startup.seconds();
    const std::optional<double> memory_after_startup = gpu_memory_mib();
    std::fprintf(stderr, "start-up (models loaded and warmed up): %.2f s, GPU memory %s MiB\n", startup_seconds,
                 memory_after_startup ? std::to_string(*memory_after_startup).c_str() : "n/a");

    nlohmann::ordered_json report{{"video", video.string()},
                                  {"device", config.device},
                                  {"precision", sn44::pipeline::half_precision(config) ? "fp16" : "fp32"},
                                  {"batch_size", config.batch_size},
                                  {"first_batch_size", config.first_batch_size},
                                  {"startup_seconds", startup_seconds},
                                  {"gpu_memory_mib_after_startup",
                                   memory_after_startup ? nlohmann::ordered_json(*memory_after_startup) : nlohmann::ordered_json()},
                                  {"runs", nlohmann::ordered_json::array()}};
    const std::filesystem::path result_path = results_dir / "pipeline_benchmark_result.json";
    for (int run = 1; run <= runs; ++run) {
      const sn44::Stopwatch end_to_end;
      const sn44::pipeline::PipelineResult result = pipeline.process(video);
      std::ofstream(result_path, std::ios::binary | std::ios::trunc)
          << sn44::pipeline::result_to_json("benchmark", result.frames, result.stats.total_seconds);
      const double seconds = end_to_end.seconds();
      const std::optional<double> memory = gpu_memory_mib();
      const sn44::pipeline::PipelineStats& stats = result.stats;
      std::fprintf(stderr,
                   "run %d: %.3f s end to end, %lld frames; first frame %.3f s, decode %.2f s, pre-processing %.2f s, "
                   "forward and wait %.2f s, post-processing %.2f s, tracking %.3f s; GPU memory %s MiB\n",
                   run, seconds, static_cast<long long>(stats.frames), stats.first_frame_seconds, stats.decode_seconds,
                   stats.preprocess_seconds, stats.forward_seconds, stats.postprocess_seconds, stats.tracking_seconds,
                   memory ? std::to_string(*memory).c_str() : "n/a");
      report["runs"].push_back(run_json(run, seconds, stats, memory));
    }
    std::filesystem::remove(result_path);
    if (!output.empty()) std::ofstream(output) << report.dump(2) << '\n';
  } catch (const sn44::Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
  return 0;
}

// Decode throughput of the miner's video reader (FFmpeg decode plus the BGR conversion the models
// take) by decoder thread count, on a real clip. It is the rate the forward passes must not outrun:
// on a GPU host, whether the CPU cores keep up with batched inference or hardware decoding is needed.
//
//   build/bench/decode_benchmark [google-benchmark flags]
//
// The clip is $SN44_BENCH_CLIP, else the 1280x720 Serie A clip in $SN44_TEST_DATA/videos.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "video/decoder.h"

namespace sn44::video {
namespace {

std::filesystem::path benchmark_clip() {
  if (const char* clip = std::getenv("SN44_BENCH_CLIP")) return clip;
  if (const char* data = std::getenv("SN44_TEST_DATA")) {
    return std::filesystem::path(data) / "videos" / "seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4";
  }
  return {};
}

void decode_clip(benchmark::State& state, const std::filesystem::path& clip, int threads) {
  int64_t frames = 0;
  for (auto _ : state) {
    Decoder decoder(clip, DecoderOptions{.threads = threads});
    while (std::optional<Frame> frame = decoder.next()) {
      benchmark::DoNotOptimize(frame->bgr.data);
      ++frames;
    }
  }
  state.counters["frames_per_second"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}

}  // namespace
}  // namespace sn44::video

int main(int argc, char** argv) {
  const std::filesystem::path clip = sn44::video::benchmark_clip();
  if (clip.empty() || !std::filesystem::is_regular_file(clip)) {
    std::fprintf(stderr, "error: no clip to decode: set SN44_BENCH_CLIP to a video file, or SN44_TEST_DATA to the test data folder\n");
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  // Thread counts up to the cores there are; wall time, since the work is on FFmpeg's threads.
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int threads = 1; threads <= cores; threads *= 2) {
    benchmark::RegisterBenchmark(("decode/threads:" + std::to_string(threads)).c_str(), sn44::video::decode_clip, clip, threads)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(3);
  }
  std::printf("clip: %s\n", clip.string().c_str());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

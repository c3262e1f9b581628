// Writing the result body of a full-size challenge: 750 frames, 25 tracked objects and 32
// keypoints each (two thirds of them visible), as `serve` answers it, and gzipping it. Both are on
// the critical path, after the last forward pass and before the answer leaves. Random boxes
// compress worse than real tracks, which move little from frame to frame.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "pipeline/result_json.h"
#include "server/response_compression.h"

namespace sn44::pipeline {
namespace {

std::vector<FrameResult> full_size_result() {
  std::mt19937 random(3);
  std::uniform_real_distribution<float> x(0.0f, 1280.0f), y(150.0f, 720.0f), extent(10.0f, 90.0f), score(0.25f, 0.99f);
  std::vector<FrameResult> frames(750);
  for (size_t f = 0; f < frames.size(); ++f) {
    FrameResult& frame = frames[f];
    frame.frame_number = static_cast<int64_t>(f);
    for (size_t k = 0; k < frame.keypoints.size(); ++k) frame.keypoints[k] = k % 3 == 0 ? std::array<float, 2>{0, 0} : std::array<float, 2>{x(random), y(random)};
    for (int o = 0; o < 25; ++o) {
      const float left = x(random), top = y(random);
      frame.objects.push_back({o + 1, Box{left, top, left + extent(random), top + 2 * extent(random)}, o == 0 ? 0 : 2, score(random)});
    }
  }
  return frames;
}

void BM_ResultJson(benchmark::State& state) {
  const std::vector<FrameResult> frames = full_size_result();
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string body = result_to_json("challenge", frames, 3.21);
    bytes = body.size();
    benchmark::DoNotOptimize(body.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ResultJson)->Unit(benchmark::kMillisecond);

// gzip of that body at a zlib level, as `serve` sends it to validators that accept gzip.
void BM_GzipResult(benchmark::State& state) {
  const std::string body = result_to_json("challenge", full_size_result(), 3.21);
  size_t compressed = 0;
  for (auto _ : state) {
    const std::string gzipped = server::gzip(body, static_cast<int>(state.range(0)));
    compressed = gzipped.size();
    benchmark::DoNotOptimize(gzipped.data());
  }
  state.counters["bytes"] = static_cast<double>(compressed);
  state.counters["ratio"] = static_cast<double>(body.size()) / static_cast<double>(compressed);
}
BENCHMARK(BM_GzipResult)->Arg(1)->Arg(6)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sn44::pipeline

BENCHMARK_MAIN();

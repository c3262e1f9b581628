// Writing the result body of a full-size challenge (750 frames, 25 tracked objects and 32
// keypoints each) as `serve` answers it, against building it as a nlohmann document and dumping it
// (the way it was written before), and gzipping it. Both are on the critical path, after the last
// forward pass and before the answer leaves.

#include <benchmark/benchmark.h>

#include <vector>

#include "pipeline/result_json.h"
#include "server/response_compression.h"
#include "support/result_document.h"

namespace sn44::pipeline {
namespace {

template <typename Writer>
void write_body(benchmark::State& state, Writer writer) {
  const std::vector<FrameResult> frames = testing::random_full_size_result(3);
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string body = writer("challenge", frames, 3.21);
    bytes = body.size();
    benchmark::DoNotOptimize(body.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}

void BM_ResultJson(benchmark::State& state) { write_body(state, result_to_json); }
BENCHMARK(BM_ResultJson)->Unit(benchmark::kMillisecond);

void BM_ResultJsonViaDocument(benchmark::State& state) { write_body(state, testing::result_via_document); }
BENCHMARK(BM_ResultJsonViaDocument)->Unit(benchmark::kMillisecond);

// gzip of that body at a zlib level, as `serve` sends it to validators that accept gzip.
void BM_GzipResult(benchmark::State& state) {
  const std::string body = result_to_json("challenge", testing::random_full_size_result(3), 3.21);
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

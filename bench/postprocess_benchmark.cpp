// The CPU work around the forward passes, per frame, at the real sizes: letterboxing a 1280x720
// frame into the 1280x1280 player input, decoding + NMS of the player output (33,600 anchors) and
// of the pitch output (8,400 anchors, 32 keypoints). Compare with the forward pass itself
// (docs/benchmarks.md) to see what share of a frame the post-processing takes.

#include <benchmark/benchmark.h>

#include <opencv2/core.hpp>
#include <random>
#include <vector>

#include "inference/letterbox.h"
#include "inference/yolo_decode.h"

namespace sn44::inference {
namespace {

// A model output with `candidates` anchors over the threshold at random places, the rest well
// below it: what a trained detector gives on a broadcast frame.
std::vector<float> synthetic_output(int channels, int anchors, int num_classes, int candidates, int input_size) {
  std::mt19937 random(7);
  std::uniform_real_distribution<float> position(0.0f, static_cast<float>(input_size));
  std::uniform_real_distribution<float> size(8.0f, 80.0f);
  std::uniform_real_distribution<float> low(0.0f, 0.05f);
  std::uniform_real_distribution<float> high(0.3f, 0.95f);
  std::vector<float> output(static_cast<size_t>(channels) * anchors);
  auto at = [&](int channel, int anchor) -> float& { return output[static_cast<size_t>(channel) * anchors + anchor]; };
  for (int a = 0; a < anchors; ++a) {
    at(0, a) = position(random);
    at(1, a) = position(random);
    at(2, a) = size(random);
    at(3, a) = size(random);
    for (int c = 4; c < channels; ++c) at(c, a) = low(random);
  }
  for (int i = 0; i < candidates; ++i) {
    const int anchor = static_cast<int>(random() % static_cast<unsigned>(anchors));
    at(4 + static_cast<int>(random() % static_cast<unsigned>(num_classes)), anchor) = high(random);
  }
  return output;
}

void BM_LetterboxPlayerInput(benchmark::State& state) {
  const cv::Mat frame(720, 1280, CV_8UC3, cv::Scalar(40, 120, 60));
  const LetterboxGeometry geometry = compute_letterbox(frame.size(), cv::Size(1280, 1280));
  std::vector<float> input(3 * 1280 * 1280);
  cv::Mat buffer;
  for (auto _ : state) {
    letterbox_to_chw(frame, geometry, input.data(), buffer);
    benchmark::DoNotOptimize(input.data());
  }
}
BENCHMARK(BM_LetterboxPlayerInput)->Unit(benchmark::kMillisecond);

void BM_DecodePlayerOutput(benchmark::State& state) {
  constexpr int kChannels = 8, kAnchors = 33600;
  const auto output = synthetic_output(kChannels, kAnchors, 4, static_cast<int>(state.range(0)), 1280);
  for (auto _ : state) benchmark::DoNotOptimize(decode_yolo_output(output, kChannels, kAnchors, 4, DecodeOptions{}));
}
BENCHMARK(BM_DecodePlayerOutput)->Arg(30)->Arg(300)->Unit(benchmark::kMicrosecond);

void BM_DecodePitchOutput(benchmark::State& state) {
  constexpr int kChannels = 5 + 3 * 32, kAnchors = 8400;
  const auto output = synthetic_output(kChannels, kAnchors, 1, static_cast<int>(state.range(0)), 640);
  for (auto _ : state) benchmark::DoNotOptimize(decode_yolo_output(output, kChannels, kAnchors, 1, DecodeOptions{}));
}
BENCHMARK(BM_DecodePitchOutput)->Arg(5)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sn44::inference

BENCHMARK_MAIN();

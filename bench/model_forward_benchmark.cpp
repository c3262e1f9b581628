// Forward passes of model files side by side, in one run: a grey batch through each model, as the
// pipeline feeds it letterboxed frames. For comparing exports of one network (TorchScript / ONNX,
// float / int8) or sizes, on the machine at hand.
//
//   build/bench/model_forward_benchmark [google-benchmark flags] [--device D] [--batch N] MODEL...
//
// The device is cpu (default), cuda or cuda:N; the batch, 1 (default) or more frames per pass.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "inference/model.h"

namespace sn44::inference {
namespace {

void forward(benchmark::State& state, Model* model, int batch) {
  const ModelInfo& info = model->info();
  const std::vector<float> images(static_cast<size_t>(batch) * 3 * static_cast<size_t>(info.input_width * info.input_height),
                                  114.0f / 255.0f);
  for (auto _ : state) benchmark::DoNotOptimize(model->forward(images, batch).values.data());
  state.counters["frames_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * batch), benchmark::Counter::kIsRate);
}

}  // namespace
}  // namespace sn44::inference

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::string device = "cpu";
  int batch = 1;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--device" && i + 1 < argc) {
      device = argv[++i];
    } else if (argument == "--batch" && i + 1 < argc) {
      batch = std::atoi(argv[++i]);
    } else {
      files.emplace_back(argument);
    }
  }
  if (files.empty() || batch < 1) {
    std::fprintf(stderr, "usage: %s [google-benchmark flags] [--device D] [--batch N] MODEL...\n", argv[0]);
    return 2;
  }
  std::vector<std::unique_ptr<sn44::inference::Model>> models;
  try {
    for (const std::filesystem::path& file : files) {
      models.push_back(sn44::inference::load_model(file, sn44::inference::ModelOptions{device, 0, 0}));
      const auto& info = models.back()->info();
      benchmark::RegisterBenchmark(("forward/" + file.filename().string()).c_str(), sn44::inference::forward, models.back().get(),
                                   batch)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->MinTime(2.0);
      std::printf("%s: %dx%d input, batch %d, %s\n", file.string().c_str(), info.input_width, info.input_height, batch,
                  device.c_str());
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

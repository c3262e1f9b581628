// The GPU path on a CUDA device, with generated YOLOv8n models on real frames: FP16 gives FP32's
// answers (the same boxes over the threshold, overlapping by more than 0.95; keypoints within a
// pixel), and the device path on the GPU gives the CPU path's. Skips, saying so, without a GPU.

#include <gtest/gtest.h>

#include <cstdio>

#include "detection_matching.h"
#include "inference/detectors.h"
#include "inference/torchscript_model.h"
#include "support/generated_models.h"
#include "support/test_data.h"

namespace sn44::inference {
namespace {

constexpr int kFrames = 16;

#define SN44_REQUIRE_GPU() \
  if (!cuda_available()) GTEST_SKIP() << "no CUDA GPU here (or this LibTorch has no CUDA support)"

using testing::kPitchLayout;
using testing::kPlayerLayout;
using testing::kSerieAClip;

// The detections (model-input pixels) of one runner, one list per frame.
std::vector<std::vector<RawDetection>> detections(const std::filesystem::path& model, const ExpectedLayout& layout,
                                                  const ModelOptions& options, const std::vector<cv::Mat>& frames) {
  YoloRunner runner(load_model(model, options), layout, DecodeOptions{});
  EXPECT_EQ(runner.on_device(), options.device != "cpu");
  std::vector<std::vector<RawDetection>> all;
  for (YoloRunner::ImageResult& result : runner.run(frames)) all.push_back(std::move(result.detections));
  return all;
}

struct Case {
  const char* model;
  const ExpectedLayout* layout;
};
const Case kCases[] = {{"player.torchscript", &kPlayerLayout}, {"pitch.torchscript", &kPitchLayout}};

TEST(GpuInference, Fp16GivesFp32sBoxesAndKeypoints) {
  SN44_REQUIRE_GPU();
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, kSerieAClip);
  const std::vector<cv::Mat> frames = testing::first_frames(clip, kFrames);
  // The generated models are untrained: two of their class scores can tie to FP16's rounding, and
  // then either class wins (seen once in 16 frames on an H200). Boxes must match whatever the class,
  // and nearly all classes too.
  const testing::MatchTolerance tolerance{
      .min_iou = 0.95f, .confident_margin = 0.05f, .keypoint_pixels = 1.0f, .same_class = false};
  for (const Case& test : kCases) {
    SCOPED_TRACE(test.model);
    const auto fp32 = detections(models / test.model, *test.layout, ModelOptions{"cuda", 0, 0, false}, frames);
    const auto fp16 = detections(models / test.model, *test.layout, ModelOptions{"cuda", 0, 0, true}, frames);
    const testing::MatchCounts counts = testing::expect_matching_detections(fp32, fp16, DecodeOptions{}.confidence_threshold, tolerance);
    EXPECT_GT(counts.compared, kFrames / 2);
    EXPECT_LE(counts.other_class * 20, counts.compared) << "classes differ for more than 5% of the boxes";
    std::printf("%s: %d confident detections, %d of another class in FP16\n", test.model, counts.compared, counts.other_class);
  }
}

TEST(GpuInference, TheDevicePathGivesTheCpuPathsAnswers) {
  SN44_REQUIRE_GPU();
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, kSerieAClip);
  const std::vector<cv::Mat> frames = testing::first_frames(clip, kFrames);
  // cuDNN's kernels (TF32 among them) sum in other orders than the CPU's.
  const testing::MatchTolerance tolerance{.min_iou = 0.98f, .confident_margin = 0.05f, .keypoint_pixels = 0.5f};
  for (const Case& test : kCases) {
    SCOPED_TRACE(test.model);
    const auto cpu = detections(models / test.model, *test.layout, ModelOptions{"cpu", 0, 0, false}, frames);
    const auto gpu = detections(models / test.model, *test.layout, ModelOptions{"cuda", 0, 0, false}, frames);
    EXPECT_GT(testing::expect_matching_detections(cpu, gpu, DecodeOptions{}.confidence_threshold, tolerance).compared, kFrames / 2);
  }
}

}  // namespace
}  // namespace sn44::inference

// The device path (inference/device_batch.h) run on the CPU against the CPU path, with generated
// YOLOv8n models on real frames: the same detections and keypoints for 1280x720 frames (whose
// resize weights are halves, where the device letterbox equals OpenCV's to the bit), batch padding,
// the whole-output fallback and the queue's errors. tests/inference/gpu_inference_test.cpp runs it
// on a GPU. Other frame sizes are left out: there OpenCV's fixed-point weights put 8% of the pixels
// one level away (measured on the DFL clip), and the generated models, untrained, move their class
// scores by up to 0.14 for such noise, so detections cannot be compared.

#include "inference/device_batch.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "detection_matching.h"
#include "inference/detectors.h"
#include "support/expect_error.h"
#include "support/generated_models.h"
#include "support/test_data.h"

namespace sn44::inference {
namespace {


using testing::kPitchLayout;
using testing::kPlayerLayout;
using testing::kSerieAClip;

std::unique_ptr<Model> cpu_model(const std::filesystem::path& path) { return load_model(path, ModelOptions{"cpu", 2, 0, false}); }

// The CPU path's detections (model-input pixels), one list per frame.
std::vector<std::vector<RawDetection>> cpu_path(const std::filesystem::path& model, const ExpectedLayout& layout,
                                                const DecodeOptions& options, const std::vector<cv::Mat>& frames) {
  YoloRunner runner(cpu_model(model), layout, options);
  std::vector<std::vector<RawDetection>> detections;
  for (YoloRunner::ImageResult& result : runner.run(frames)) detections.push_back(std::move(result.detections));
  return detections;
}

LetterboxGeometry geometry_for(const Model& model, const cv::Mat& frame) {
  return compute_letterbox(frame.size(), cv::Size(model.info().input_width, model.info().input_height));
}

struct DevicePathRun {
  std::vector<std::vector<RawDetection>> detections;
  int64_t whole_output_frames = 0;
};

DevicePathRun device_path(const std::filesystem::path& path, const ExpectedLayout& layout, const DecodeOptions& options,
                          const std::vector<cv::Mat>& frames, std::vector<int> padded_sizes = {},
                          int max_rows = DeviceYoloEngine::kMaxCandidateRows) {
  const std::unique_ptr<Model> model = cpu_model(path);
  FrameUploader uploader("cpu");
  uploader.pad_batches_to(std::move(padded_sizes));
  DeviceYoloEngine engine(*model, layout.num_classes, options, max_rows);
  engine.submit(uploader.upload(frames), geometry_for(*model, frames.front()));
  DevicePathRun run{engine.collect(), engine.whole_output_frames()};
  return run;
}

TEST(DeviceBatch, GivesTheCpuPathsDetectionsAndKeypointsForA1280x720Clip) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, kSerieAClip);
  const std::vector<cv::Mat> frames = testing::first_frames(clip, 3);
  ASSERT_EQ(frames.size(), 3u);
  const DecodeOptions options;
  const testing::MatchTolerance exact{.min_iou = 0.9999f, .confident_margin = 0.0f, .keypoint_pixels = 1e-3f};

  const auto players = device_path(models / "player.torchscript", kPlayerLayout, options, frames);
  EXPECT_GT(testing::expect_matching_detections(cpu_path(models / "player.torchscript", kPlayerLayout, options, frames),
                                                players.detections, options.confidence_threshold, exact)
                .compared,
            0);
  EXPECT_EQ(players.whole_output_frames, 0);

  const auto pitch = device_path(models / "pitch.torchscript", kPitchLayout, options, frames);
  EXPECT_GT(testing::expect_matching_detections(cpu_path(models / "pitch.torchscript", kPitchLayout, options, frames),
                                                pitch.detections, options.confidence_threshold, exact)
                .compared,
            0);
}

TEST(DeviceBatch, PaddedBatchesGiveTheSameDetectionsForTheirFramesOnly) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, kSerieAClip);
  const std::vector<cv::Mat> frames = testing::first_frames(clip, 3);
  const DecodeOptions options;
  const auto exact = device_path(models / "player.torchscript", kPlayerLayout, options, frames);
  const auto padded = device_path(models / "player.torchscript", kPlayerLayout, options, frames, {2, 5});
  ASSERT_EQ(padded.detections.size(), 3u);
  testing::expect_matching_detections(exact.detections, padded.detections, options.confidence_threshold,
                                      testing::MatchTolerance{.min_iou = 0.999f, .confident_margin = 0.0f});
}

TEST(DeviceBatch, FramesWithMoreCandidatesThanRowsAreDecodedFromTheirWholeOutput) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, kSerieAClip);
  const std::vector<cv::Mat> frames = testing::first_frames(clip, 2);
  DecodeOptions options;
  options.confidence_threshold = 0.05f;
  const auto few_rows = device_path(models / "player.torchscript", kPlayerLayout, options, frames, {}, 4);
  EXPECT_EQ(few_rows.whole_output_frames, 2);
  testing::expect_matching_detections(cpu_path(models / "player.torchscript", kPlayerLayout, options, frames), few_rows.detections,
                                      options.confidence_threshold,
                                      testing::MatchTolerance{.min_iou = 0.9999f, .confident_margin = 0.0f});
}

TEST(DeviceBatch, CollectingNeedsASubmittedBatchAndDiscardDropsTheQueue) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  const std::unique_ptr<Model> model = cpu_model(models / "player.torchscript");
  DeviceYoloEngine engine(*model, 4, DecodeOptions{});
  testing::expect_error(ErrorKind::internal, "no batch was submitted", [&] { engine.collect(); });
  FrameUploader uploader("cpu");
  const std::vector<cv::Mat> frames(2, cv::Mat(720, 1280, CV_8UC3, cv::Scalar(40, 120, 60)));
  engine.submit(uploader.upload(frames), geometry_for(*model, frames.front()));
  engine.submit(uploader.upload(frames), geometry_for(*model, frames.front()));
  engine.discard_queued();
  testing::expect_error(ErrorKind::internal, "no batch was submitted", [&] { engine.collect(); });
}

TEST(DeviceBatch, RefusesWhatItCannotRun) {
  FrameUploader uploader("cpu");
  testing::expect_error(ErrorKind::internal, "no frames", [&] { uploader.upload({}); });
  const std::vector<cv::Mat> mixed{cv::Mat(720, 1280, CV_8UC3), cv::Mat(480, 640, CV_8UC3)};
  testing::expect_error(ErrorKind::internal, "one size", [&] { uploader.upload(mixed); });
  const std::vector<cv::Mat> grey{cv::Mat(720, 1280, CV_8UC1)};
  testing::expect_error(ErrorKind::internal, "BGR", [&] { uploader.upload(grey); });
  testing::expect_error(ErrorKind::invalid_argument, "not a valid device", [] { FrameUploader("tpu"); });
}

// A model the engine cannot feed tensors: not one LibTorch module.
class FloatBufferModel final : public Model {
 public:
  const ModelInfo& info() const override { return info_; }
  ModelOutput forward(std::span<const float>, int, InputSize) override { return {}; }

 private:
  ModelInfo info_;
};

TEST(DeviceBatch, TakesTorchScriptModelsOnly) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  EXPECT_TRUE(DeviceYoloEngine::supports(*cpu_model(models / "player.torchscript")));
  FloatBufferModel other;
  EXPECT_FALSE(DeviceYoloEngine::supports(other));
  testing::expect_error(ErrorKind::unsupported, "TorchScript files only", [&] { DeviceYoloEngine(other, 4, DecodeOptions{}); });
}

}  // namespace
}  // namespace sn44::inference

// Our detections against an independent Python implementation of the same pre- and
// post-processing (tests/reference/yolo_reference.py) running the same TorchScript model on the
// same decoded pixels: boxes, scores, classes and keypoints must agree.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "inference/detectors.h"
#include "support/generated_models.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "support/test_data.h"
#include "video/decoder.h"

namespace sn44::inference {
namespace {

constexpr int kFrames = 6;

std::vector<cv::Mat> decode_frames(const std::filesystem::path& clip, int count) {
  video::Decoder decoder(clip);
  std::vector<cv::Mat> frames;
  while (static_cast<int>(frames.size()) < count) {
    auto frame = decoder.next();
    if (!frame) break;
    frames.push_back(frame->bgr.clone());
  }
  return frames;
}

// Runs the Python reference on exactly these frames (raw BGR24, as decoded here).
nlohmann::json run_reference(const std::filesystem::path& model, const std::vector<cv::Mat>& frames,
                             const testing::TempDir& dir) {
  const auto raw = dir / "frames.bgr";
  {
    std::ofstream file(raw, std::ios::binary);
    for (const cv::Mat& frame : frames)
      file.write(reinterpret_cast<const char*>(frame.data), static_cast<std::streamsize>(frame.total() * frame.elemSize()));
  }
  const auto output = dir / "reference.json";
  const auto result = testing::run_command(
      SN44_PYTHON, {SN44_REFERENCE_RUNNER, "--model", model.string(), "--frames-raw", raw.string(), "--width",
                    std::to_string(frames[0].cols), "--height", std::to_string(frames[0].rows), "--output", output.string()});
  if (result.exit_code != 0) throw std::runtime_error("reference runner failed: " + result.standard_error);
  std::ifstream file(output);
  return nlohmann::json::parse(file);
}

void expect_box_near(const Box& box, const nlohmann::json& reference, const std::string& where) {
  EXPECT_NEAR(box.x1, reference[0].get<double>(), 1e-2) << where;
  EXPECT_NEAR(box.y1, reference[1].get<double>(), 1e-2) << where;
  EXPECT_NEAR(box.x2, reference[2].get<double>(), 1e-2) << where;
  EXPECT_NEAR(box.y2, reference[3].get<double>(), 1e-2) << where;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, PlayerDetectionsMatchThePythonReference) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, GetParam());
  const auto model = models / "player.torchscript";
  const std::vector<cv::Mat> frames = decode_frames(clip, kFrames);
  testing::TempDir dir;
  const nlohmann::json reference = run_reference(model, frames, dir);

  PlayerDetector detector(load_model(model, {"cpu", 2, 0}), DecodeOptions{});
  const auto detections = detector.detect(frames);
  ASSERT_EQ(reference["frames"].size(), frames.size());
  size_t compared = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    const nlohmann::json& expected = reference["frames"][i]["detections"];
    ASSERT_EQ(detections[i].size(), expected.size()) << "frame " << i;
    for (size_t d = 0; d < expected.size(); ++d) {
      const std::string where = "frame " + std::to_string(i) + " detection " + std::to_string(d);
      expect_box_near(detections[i][d].box, expected[d]["box"], where);
      EXPECT_NEAR(detections[i][d].score, expected[d]["score"].get<double>(), 1e-5) << where;
      EXPECT_EQ(detections[i][d].class_id, expected[d]["class_id"].get<int>()) << where;
      ++compared;
    }
  }
  EXPECT_GT(compared, 0u) << "the reference found nothing to compare";
}

TEST_P(GoldenTest, PitchKeypointsMatchThePythonReference) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, GetParam());
  const auto model = models / "pitch.torchscript";
  const std::vector<cv::Mat> frames = decode_frames(clip, kFrames);
  testing::TempDir dir;
  const nlohmann::json reference = run_reference(model, frames, dir);

  constexpr float kThreshold = 0.5f;
  PitchDetector detector(load_model(model, {"cpu", 2, 0}), DecodeOptions{}, kThreshold);
  const auto observations = detector.detect(frames);
  for (size_t i = 0; i < frames.size(); ++i) {
    const nlohmann::json& expected = reference["frames"][i]["detections"];
    ASSERT_EQ(observations[i].detected, !expected.empty()) << "frame " << i;
    if (expected.empty()) continue;
    const nlohmann::json& points = expected[0]["keypoints"];
    ASSERT_EQ(points.size(), static_cast<size_t>(kPitchKeypointCount));
    for (size_t k = 0; k < points.size(); ++k) {
      const bool visible = points[k][2].get<double>() >= kThreshold;
      const Keypoint& ours = observations[i].keypoints[k];
      EXPECT_NEAR(ours.x, visible ? points[k][0].get<double>() : 0.0, 1e-2) << "frame " << i << " keypoint " << k;
      EXPECT_NEAR(ours.y, visible ? points[k][1].get<double>() : 0.0, 1e-2) << "frame " << i << " keypoint " << k;
    }
  }
}

// A 16:9 broadcast and a 1280x574 clip (odd letterbox padding).
INSTANTIATE_TEST_SUITE_P(RealClips, GoldenTest,
                         ::testing::Values("videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4",
                                           "videos/epl_liverpool_broadcast_1280x574_25fps_15s_1cut.mp4"),
                         [](const ::testing::TestParamInfo<std::string>& clip) {
                           return clip.index == 0 ? std::string("Broadcast1280x720") : std::string("Broadcast1280x574");
                         });

}  // namespace
}  // namespace sn44::inference

// `sn44-miner process` run as an operator runs it: real clips give one result entry per decoded
// frame; every bad input ends with a one-line error naming the cause and a non-zero exit status,
// except a clip damaged after its first frames, answered with those frames and a warning.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "support/generated_models.h"
#include "support/run_command.h"
#include "support/synthetic_video.h"
#include "support/temp_dir.h"
#include "support/test_data.h"

namespace sn44::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

testing::CommandResult miner(const std::vector<std::string>& arguments) {
  return testing::run_command(SN44_MINER_EXECUTABLE, arguments);
}

// `process` with the generated models and small, fast settings, plus `extra` arguments.
std::vector<std::string> process_arguments(const std::filesystem::path& models, const std::filesystem::path& clip,
                                           std::vector<std::string> extra = {}) {
  std::vector<std::string> arguments{"process", clip.string(),
                                     "--player-model", (models / "player.torchscript").string(),
                                     "--pitch-model", (models / "pitch.torchscript").string(),
                                     "--threads", "2", "--batch-size", "4", "--warmup-runs", "0", "--no-progress",
                                     "--log-level", "warn"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  return arguments;
}

// A failed run: non-zero status and exactly one line on standard error, naming the cause.
void expect_one_line_error(const testing::CommandResult& result, const std::string& cause) {
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.standard_error, StartsWith("error: "));
  EXPECT_THAT(result.standard_error, HasSubstr(cause));
  EXPECT_EQ(std::count(result.standard_error.begin(), result.standard_error.end(), '\n'), 1) << result.standard_error;
  EXPECT_TRUE(result.standard_output.empty()) << "no partial result on standard output";
}

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream file(path);
  return nlohmann::json::parse(file);
}

TEST(ProcessCommand, EveryRealClipGivesOneEntryPerDecodedFrame) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  // Frame counts found by decoding (the containers' headers say otherwise for some).
  const std::vector<std::pair<std::string, int>> clips = {
      {"videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4", 817},
      {"videos/dfl_bundesliga_08fd33_4_848x478_25fps_7s.mp4", 169},
      {"videos/seriea_inter_broadcast_848x478_60fps_13s.mp4", 794},
      {"videos/tactical_cam_static_1280x720_29.97fps_28s.mp4", 840},
      {"videos/epl_liverpool_broadcast_1280x574_25fps_15s_1cut.mp4", 369},
  };
  for (const auto& [name, frames] : clips) {
    SN44_REQUIRE_SHARED_FILE(clip, name);
    testing::TempDir dir;
    // The frames' entries and their count are what this checks (the stride itself is tested in
    // tests/pipeline): every 40th frame through the models keeps the five clips within seconds
    // each, also under the sanitizers, and tracks still span the frames in between.
    const auto result = miner(process_arguments(models, clip, {"--frame-stride", "40", "-o", (dir / "result.json").string(),
                                                                "--stats-json", (dir / "stats.json").string(),
                                                                "--challenge-id", "42"}));
    ASSERT_EQ(result.exit_code, 0) << name << ": " << result.standard_error;
    const nlohmann::json body = read_json(dir / "result.json");
    EXPECT_EQ(body["challenge_id"], "42");
    ASSERT_EQ(body["frames"].size(), static_cast<size_t>(frames)) << name;
    std::set<int64_t> ids_seen_twice;
    std::set<int64_t> ids_seen;
    for (size_t i = 0; i < body["frames"].size(); ++i) {
      const nlohmann::json& frame = body["frames"][i];
      EXPECT_EQ(frame["frame_number"], i);
      ASSERT_EQ(frame["keypoints"].size(), 32u);
      for (const auto& point : frame["keypoints"]) EXPECT_EQ(point.size(), 2u);
      for (const auto& object : frame["objects"]) {
        EXPECT_EQ(object["bbox"].size(), 4u);
        const int64_t id = object["id"];
        if (!ids_seen.insert(id).second) ids_seen_twice.insert(id);
      }
    }
    EXPECT_FALSE(ids_seen_twice.empty()) << name << ": no track id persists across frames";
    const nlohmann::json stats = read_json(dir / "stats.json");
    EXPECT_EQ(stats["frames"], frames);
    EXPECT_EQ(stats["inferred_frames"], (frames - 1) / 40 + 1 + ((frames - 1) % 40 != 0 ? 1 : 0)) << name;
  }
}

TEST(ProcessCommand, WritesTheResultToStandardOutputAndAnAnnotatedVideo) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 6, 320, 240);
  // At the info level the logs go to standard error and leave the JSON on standard output intact.
  const auto result = miner(process_arguments(models, dir / "clip.mp4",
                                              {"--annotate", (dir / "annotated.mp4").string(), "--log-level", "info"}));
  ASSERT_EQ(result.exit_code, 0) << result.standard_error;
  const nlohmann::json body = nlohmann::json::parse(result.standard_output);
  EXPECT_EQ(body["frames"].size(), 6u);
  EXPECT_THAT(result.standard_error, HasSubstr("frames: 6"));
  ASSERT_TRUE(std::filesystem::exists(dir / "annotated.mp4"));
  EXPECT_GT(std::filesystem::file_size(dir / "annotated.mp4"), 0u);
}

TEST(ProcessCommand, RunsOnnxExports) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 6, 320, 240);
  const auto result = testing::run_command(
      SN44_MINER_EXECUTABLE, {"process", (dir / "clip.mp4").string(), "--player-model", (models / "player.onnx").string(),
                              "--pitch-model", (models / "pitch.onnx").string(), "--threads", "2", "--batch-size", "4",
                              "--warmup-runs", "0", "--no-progress", "-o", (dir / "result.json").string()});
  ASSERT_EQ(result.exit_code, 0) << result.standard_error;
  EXPECT_EQ(read_json(dir / "result.json")["frames"].size(), 6u);
  EXPECT_THAT(result.standard_error, HasSubstr("player.onnx: 320x192 input, classes: ball, goalkeeper, player, referee, on cpu"));
  EXPECT_THAT(result.standard_error, HasSubstr("pitch.onnx: 320x192 input, classes: pitch, on cpu"));
}

TEST(ProcessCommand, MissingClip) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  expect_one_line_error(miner(process_arguments(models, "/nonexistent/clip.mp4")), "/nonexistent/clip.mp4");
}

TEST(ProcessCommand, FileThatIsNotAVideo) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  std::ofstream(dir / "notes.mp4") << "these are not the frames you are looking for\n";
  expect_one_line_error(miner(process_arguments(models, dir / "notes.mp4")), "cannot open as a video container");
}

TEST(ProcessCommand, TruncatedMp4) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 30, 320, 240);
  testing::write_truncated_copy(dir / "clip.mp4", dir / "cut.mp4", std::filesystem::file_size(dir / "clip.mp4") / 2);
  expect_one_line_error(miner(process_arguments(models, dir / "cut.mp4")), "cut.mp4");
}

TEST(ProcessCommand, ADamagedClipIsAnsweredWithTheFramesBeforeTheDamage) {
  // As the reference miner does (VideoCapture stops there): the validator scores those frames.
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, "videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4");
  testing::TempDir dir;
  testing::write_truncated_copy(clip, dir / "cut.mp4", 500'000);
  const auto result = miner(process_arguments(models, dir / "cut.mp4", {"--frame-stride", "40", "-o", (dir / "result.json").string(),
                                                                       "--stats-json", (dir / "stats.json").string()}));
  ASSERT_EQ(result.exit_code, 0) << result.standard_error;
  const nlohmann::json stats = read_json(dir / "stats.json");
  const int64_t frames = stats["frames"];
  EXPECT_GT(frames, 20);
  EXPECT_LT(frames, 817);
  const nlohmann::json body = read_json(dir / "result.json");
  ASSERT_EQ(body["frames"].size(), static_cast<size_t>(frames));
  EXPECT_EQ(body["frames"].back()["frame_number"], frames - 1);
  EXPECT_THAT(stats["damage"].get<std::string>(), HasSubstr("partial file"));
  EXPECT_THAT(result.standard_error, HasSubstr("warning"));
  EXPECT_THAT(result.standard_error, HasSubstr("the result has the " + std::to_string(frames) + " frames before it"));
}

TEST(ProcessCommand, VideoWithoutFrames) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "empty.mp4", 0, 64, 48);
  expect_one_line_error(miner(process_arguments(models, dir / "empty.mp4")), "no video stream with frames");
}

TEST(ProcessCommand, MissingModel) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 2, 64, 48);
  expect_one_line_error(miner(process_arguments(models, dir / "clip.mp4", {"--pitch-model", "/nonexistent/pitch.torchscript"})),
                        "/nonexistent/pitch.torchscript");
}

TEST(ProcessCommand, ModelWithTheWrongOutputShape) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 2, 64, 48);
  const auto result = miner(process_arguments(models, dir / "clip.mp4",
                                              {"--player-model", (models / "detector_80_classes.torchscript").string()}));
  expect_one_line_error(result, "outputs 84 values per anchor; expected 8");
}

TEST(ProcessCommand, InvalidSettingIsAUsageError) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 2, 64, 48);
  const auto result = miner(process_arguments(models, dir / "clip.mp4", {"--frame-stride", "0"}));
  expect_one_line_error(result, "FRAME_STRIDE");
  EXPECT_EQ(result.exit_code, 2);
  const auto fp16 = miner(process_arguments(models, dir / "clip.mp4", {"--precision", "FP16"}));
  expect_one_line_error(fp16, "PRECISION=fp16 runs on a CUDA device only");
  EXPECT_EQ(fp16.exit_code, 2);
  const auto unknown = miner(process_arguments(models, dir / "clip.mp4", {"--precision", "fast"}));
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.standard_error, HasSubstr("--precision"));
}

}  // namespace
}  // namespace sn44::cli

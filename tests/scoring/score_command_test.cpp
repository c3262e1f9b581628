// `sn44-miner score` run as an operator runs it, on a clip the test writes: a static broadcast view
// of the synthetic pitch, with the exact keypoints and three players standing still.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/videoio.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "synthetic_pitch.h"

namespace sn44::scoring {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr int kClipFrames = 10;

testing::CommandResult miner(const std::vector<std::string>& arguments) {
  return testing::run_command(SN44_MINER_EXECUTABLE, arguments);
}

void expect_one_line_error(const testing::CommandResult& run, const std::string& cause) {
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.standard_error, HasSubstr(cause));
  EXPECT_EQ(std::count(run.standard_error.begin(), run.standard_error.end(), '\n'), 1) << run.standard_error;
}

class ScoreCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    const cv::Matx33d view = testing::synthetic_pitch_homography();
    // Motion JPEG at top quality: written by OpenCV itself, and close enough to lossless for the lines.
    cv::VideoWriter writer(clip_.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25,
                           cv::Size(testing::kSyntheticSize.width, testing::kSyntheticSize.height));
    ASSERT_TRUE(writer.isOpened());
    writer.set(cv::VIDEOWRITER_PROP_QUALITY, 100);
    const cv::Mat frame = testing::render_pitch(view);
    for (int i = 0; i < kClipFrames; ++i) writer.write(frame);
    writer.release();
    write_result(kClipFrames);
  }

  void write_result(int frames) {
    const cv::Matx33d view = testing::synthetic_pitch_homography();
    json body = {{"challenge_id", "c"}, {"processing_time", 3.0}, {"frames", json::array()}};
    for (int n = 0; n < frames; ++n) {
      json objects = json::array();
      for (const ScoredObject& p : {testing::player_at(view, 1, 5000, 3000), testing::player_at(view, 2, 5500, 3500),
                                    testing::player_at(view, 3, 6000, 3200)}) {
        objects.push_back({{"id", p.id}, {"bbox", p.bbox}, {"class_id", p.class_id}, {"confidence", 0.9}});
      }
      body["frames"].push_back({{"frame_number", n}, {"keypoints", testing::project_keypoints(view)}, {"objects", objects}});
    }
    std::ofstream(result_) << body.dump();
  }

  testing::TempDir dir_;
  std::filesystem::path clip_ = dir_ / "clip.avi";
  std::filesystem::path result_ = dir_ / "result.json";
};

TEST_F(ScoreCommand, PerfectResultScoresNearTheMaximumWithEstimatesNamed) {
  const testing::CommandResult run = miner({"score", "--video", clip_.string(), "--result", result_.string(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.standard_error;
  const json score = json::parse(run.standard_output);
  EXPECT_EQ(score["video"]["frames"], kClipFrames);
  EXPECT_EQ(score["keypoints"]["frames_scored"], kClipFrames);
  EXPECT_GT(score["keypoints"]["final_score"].get<double>(), 0.95);
  EXPECT_DOUBLE_EQ(score["keypoints"]["mean_inside"].get<double>(), 1.0);
  // Three players confirmed by the stand-in classifier: (1 + 0.5 + 0.25) / (1 label + 1) = 0.875 per frame.
  EXPECT_TRUE(score["boxes"]["estimated"].get<bool>());
  EXPECT_DOUBLE_EQ(score["boxes"]["score"].get<double>(), 0.88);
  EXPECT_DOUBLE_EQ(score["speed"].get<double>(), 1.0);
  const double quality = 0.5 * 0.88 + 0.5 * score["keypoints"]["final_score"].get<double>();
  EXPECT_NEAR(score["quality"].get<double>(), quality, 1e-12);
  EXPECT_NEAR(score["final_score"].get<double>(), 0.65 * quality + 0.35, 1e-12);
  EXPECT_EQ(score["notes"].size(), 3u);
}

TEST_F(ScoreCommand, TablePrintsEveryComponent) {
  const testing::CommandResult run = miner({"score", "--video", clip_.string(), "--result", result_.string(), "--frames", "4"});
  ASSERT_EQ(run.exit_code, 0) << run.standard_error;
  for (const char* part : {"homography fit", "keypoints on lines", "players inside pitch", "keypoint stability",
                           "scene keypoint consistency", "box score", "final estimate", "4 frames scored", "note: box score estimated"}) {
    EXPECT_THAT(run.standard_output, HasSubstr(part));
  }
}

TEST_F(ScoreCommand, BadInputsFailWithOneLineNamingTheCause) {
  expect_one_line_error(miner({"score", "--video", (dir_ / "missing.mp4").string(), "--result", result_.string()}), "missing.mp4");
  expect_one_line_error(miner({"score", "--video", clip_.string(), "--result", (dir_ / "none.json").string()}), "none.json");
  std::ofstream(dir_ / "broken.json") << R"({"frames": [{"keypoints": [[1, 2]]}]})";
  expect_one_line_error(miner({"score", "--video", clip_.string(), "--result", (dir_ / "broken.json").string()}),
                        "frames[0].keypoints");
  write_result(kClipFrames - 1);
  expect_one_line_error(miner({"score", "--video", clip_.string(), "--result", result_.string()}),
                        "the result has 9 frames but the clip has 10");
}

}  // namespace
}  // namespace sn44::scoring

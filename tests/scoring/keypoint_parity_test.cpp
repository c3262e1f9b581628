// The C++ keypoint score against an independent Python implementation of the validator's code
// (keypoint_score_reference.py, numpy + cv2) on a clip the test builds: both must agree to 1e-6,
// component by component. Both sides call OpenCV 4.6's findHomography, whose RANSAC draws from a
// fixed seed, so the fits are deterministic and identical.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "scoring/keypoint_scoring.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "synthetic_pitch.h"

namespace sn44::scoring {
namespace {

using nlohmann::json;
using testing::kSyntheticSize;

constexpr int kFrameCount = 12;  // frames 0..11 are validated; the response omits frame 11
constexpr int kCutFrame = 6;

cv::Matx33d view_of_frame(int n) {
  // A slow pan, then a cut to a tighter view.
  const double pan = n < kCutFrame ? 3.0 * n : -150 + 2.0 * n;
  const double zoom = n < kCutFrame ? 1.0 : 1.3;
  const cv::Matx33d camera(zoom, 0, pan - (zoom - 1) * 640, 0, zoom, -(zoom - 1) * 360, 0, 0, 1);
  return camera * testing::synthetic_pitch_homography();
}

double rounded(double value) { return std::round(value * 100) / 100; }

ScoredFrame response_frame(int n) {
  const cv::Matx33d view = view_of_frame(n);
  ScoredFrame frame;
  frame.frame_number = n;
  frame.keypoints = testing::project_keypoints(view);
  for (size_t i = 0; i < frame.keypoints.size(); ++i) {
    auto& [x, y] = frame.keypoints[i];
    if (x == 0 && y == 0) continue;
    // Detector noise of up to +-1.4 px, the same for both sides.
    x = rounded(x + 0.7 * static_cast<double>((static_cast<int>(i) * 7 + n * 3) % 5 - 2));
    y = rounded(y + 0.7 * static_cast<double>((static_cast<int>(i) * 3 + n * 5) % 5 - 2));
  }
  if (n == 4) frame.keypoints[9][0] += 80;  // one keypoint off its lines
  if (n == 8) {                              // too few keypoints for a homography
    for (size_t i = 3; i < frame.keypoints.size(); ++i) frame.keypoints[i] = {0, 0};
  }
  // Players walking at different speeds (small, medium, large jumps), a ball, and a box in the
  // scoreboard band; after the cut every player is somewhere else.
  const double speeds[] = {1.3, 6.1, 14.7, 35.2, 0.4};
  for (int p = 0; p < 5; ++p) {
    ScoredObject player = testing::player_at(view, p + 1, 2500.0 + 1800 * p, 1200.0 + 1100 * p);
    const double step = speeds[p] * (n < kCutFrame ? n : n + 20);
    for (const size_t i : {size_t{0}, size_t{2}}) player.bbox[i] = rounded(player.bbox[i] + step);
    player.bbox[1] = rounded(player.bbox[1]);
    player.bbox[3] = rounded(player.bbox[3]);
    frame.objects.push_back(player);
  }
  frame.objects.push_back({99, {rounded(700.0 + n), 500, rounded(707.0 + n), 507}, 0});
  frame.objects.push_back({50, {300, 90, 330, 160}, 3});
  return frame;
}

json to_json(const ScoredFrame& frame) {
  json objects = json::array();
  for (const ScoredObject& object : frame.objects) {
    objects.push_back({{"id", object.id}, {"bbox", object.bbox}, {"class_id", object.class_id}});
  }
  return {{"frame_number", frame.frame_number}, {"keypoints", frame.keypoints}, {"objects", objects}};
}

TEST(KeypointParity, MatchesThePythonReferenceComponentByComponent) {
  testing::TempDir dir;
  std::vector<ScoredFrame> frames;
  std::vector<int64_t> validated;
  std::map<int64_t, std::vector<LineSegment>> lines;
  cv::RNG rng(44);
  for (int n = 0; n < kFrameCount; ++n) {
    validated.push_back(n);
    cv::Mat image = testing::render_pitch(view_of_frame(n));
    cv::Mat noise(image.size(), CV_16SC3);
    rng.fill(noise, cv::RNG::NORMAL, 0, 6);
    image.convertTo(image, CV_16SC3);
    cv::add(image, noise, image);
    image.convertTo(image, CV_8UC3);
    const std::string path = (dir / ("frame_" + std::to_string(n) + ".png")).string();
    ASSERT_TRUE(cv::imwrite(path, image));
    lines[n] = detect_pitch_lines(cv::imread(path));
    if (n < kFrameCount - 1) frames.push_back(response_frame(n));
  }
  // Frames in the response out of numeric order: the validator's dict keeps the response's order.
  std::swap(frames[2], frames[3]);
  json body = {{"frames", json::array()}};
  for (const ScoredFrame& frame : frames) body["frames"].push_back(to_json(frame));
  std::ofstream(dir / "result.json") << body.dump();

  std::string ids;
  for (const int64_t id : validated) {
    if (!ids.empty()) ids += ',';
    ids += std::to_string(id);
  }
  const testing::CommandResult run =
      testing::run_command(SN44_PYTHON, {SN44_KEYPOINT_REFERENCE, (dir / "result.json").string(), dir.path().string(),
                                         std::to_string(kSyntheticSize.width), std::to_string(kSyntheticSize.height), ids});
  ASSERT_EQ(run.exit_code, 0) << run.standard_error;
  const json reference = json::parse(run.standard_output);

  const KeypointScoreBreakdown score = score_keypoints(frames, validated, lines, kSyntheticSize);
  RecordProperty("reference", run.standard_output);
  for (const auto& [number, segments] : lines) {
    EXPECT_EQ(static_cast<int>(segments.size()), reference["lines"][std::to_string(number)].get<int>()) << "frame " << number;
  }
  ASSERT_EQ(score.frames.size(), reference["frames"].size());
  for (size_t i = 0; i < score.frames.size(); ++i) {
    const FrameKeypointScore& mine = score.frames[i];
    const json& theirs = reference["frames"][i];
    SCOPED_TRACE("frame " + std::to_string(mine.frame_number));
    EXPECT_EQ(mine.frame_number, theirs["frame_number"].get<int64_t>());
    EXPECT_NEAR(mine.inlier_ratio, theirs["inlier_ratio"].get<double>(), 1e-9);
    EXPECT_NEAR(mine.mean_reprojection_error, theirs["error"].get<double>(), 1e-6);
    EXPECT_NEAR(mine.keypoint_score, theirs["fit"].get<double>(), 1e-6);
    EXPECT_NEAR(mine.on_line, theirs["on_line"].get<double>(), 1e-6);
    EXPECT_NEAR(mine.inside, theirs["inside"].get<double>(), 1e-9);
    EXPECT_NEAR(mine.scale_ratio, theirs["scale"].get<double>(), 1e-6);
  }
  EXPECT_EQ(score.scene_transitions, reference["scene_transitions"].get<int>());
  EXPECT_NEAR(score.keypoint_score, reference["keypoint_score"].get<double>(), 1e-6);
  EXPECT_NEAR(score.mean_on_line, reference["mean_on_line"].get<double>(), 1e-6);
  EXPECT_NEAR(score.mean_inside, reference["mean_inside"].get<double>(), 1e-6);
  EXPECT_NEAR(score.mean_scale, reference["mean_scale"].get<double>(), 1e-6);
  EXPECT_NEAR(score.scale_valid, reference["scale_valid"].get<double>(), 1e-6);
  EXPECT_NEAR(score.keypoint_stability, reference["keypoint_stability"].get<double>(), 1e-6);
  EXPECT_NEAR(score.player_plausibility, reference["player_plausibility"].get<double>(), 1e-6);
  EXPECT_NEAR(score.player_score, reference["player_score"].get<double>(), 1e-6);
  EXPECT_NEAR(score.scene_consistency, reference["scene_consistency"].get<double>(), 1e-6);
  EXPECT_NEAR(score.final_score, reference["final_score"].get<double>(), 1e-6);

  // The clip exercises the paths that matter: a cut, a frame without homography, a missing frame,
  // an off-line keypoint, and every kind of player jump.
  EXPECT_EQ(score.scene_transitions, 1);
  EXPECT_EQ(score.frames.size(), 10u);
  EXPECT_LT(score.player_plausibility, 1.0);
  EXPECT_GT(score.player_score, 0.0);
  EXPECT_LT(score.player_score, 100.0);
  EXPECT_GT(score.final_score, 0.3);
}

}  // namespace
}  // namespace sn44::scoring

#include "scoring/keypoint_scoring.h"

#include <gtest/gtest.h>

#include <cmath>

#include "synthetic_pitch.h"

namespace sn44::scoring {
namespace {

using testing::kSyntheticSize;

KeypointArray keypoints_of(std::initializer_list<std::pair<int, std::array<double, 2>>> points) {
  KeypointArray keypoints{};
  for (const auto& [index, xy] : points) keypoints[static_cast<size_t>(index)] = xy;
  return keypoints;
}

ScoredObject box(int64_t id, int class_id, double x1, double y1, double x2, double y2) {
  return {id, {x1, y1, x2, y2}, class_id};
}

ScoredObject player_centred(int64_t id, double cx, double cy) { return box(id, 2, cx - 10, cy - 25, cx + 10, cy + 25); }

double logistic(double normalised_distance) { return 1.0 / (1.0 + std::exp((normalised_distance - 0.02) / 0.0037)); }

TEST(ValidKeypoints, DropsZerosOutOfFramePointsAndNearDuplicates) {
  const KeypointArray keypoints = keypoints_of({{0, {100, 100}},
                                                {1, {120, 100}},    // 20 px from the first: dropped
                                                {2, {125, 100}},    // exactly 25 px: kept
                                                {3, {1280, 300}},   // x == width: outside
                                                {4, {-1, 300}},
                                                {5, {600, 719.5}}});
  const ValidKeypoints bounded = valid_keypoints(keypoints, kSyntheticSize);
  EXPECT_EQ(bounded.indices, (std::vector<int>{0, 2, 5}));
  EXPECT_EQ(bounded.points[1], cv::Point2d(125, 100));
  const ValidKeypoints unbounded = valid_keypoints(keypoints, std::nullopt);
  EXPECT_EQ(unbounded.indices, (std::vector<int>{0, 2, 3, 4, 5}));
}

TEST(KeypointFitScore, AveragesInlierShareAndErrorOnAHundredPointScale) {
  EXPECT_DOUBLE_EQ(keypoint_fit_score(0.75, 10), 82.5);  // (75 + 90) / 2
  EXPECT_DOUBLE_EQ(keypoint_fit_score(1.0, 150), 50);    // the error term floors at 0
  EXPECT_DOUBLE_EQ(keypoint_fit_score(1.0, 0), 100);
}

TEST(FitHomography, ExactKeypointsFitWithAllInliersAndNoError) {
  const KeypointArray keypoints = testing::project_keypoints(testing::synthetic_pitch_homography());
  const auto fit = fit_homography(keypoints, kSyntheticSize);
  ASSERT_TRUE(fit);
  EXPECT_DOUBLE_EQ(fit->inlier_ratio, 1.0);
  EXPECT_LT(fit->mean_reprojection_error, 1e-2);  // float32 inside findHomography
}

TEST(FitHomography, OneDisplacedKeypointIsAnOutlierAndRaisesTheError) {
  KeypointArray keypoints = testing::project_keypoints(testing::synthetic_pitch_homography());
  const size_t valid_count = valid_keypoints(keypoints, kSyntheticSize).points.size();
  keypoints[8][1] += 150;  // the left penalty spot, 150 px down
  const auto fit = fit_homography(keypoints, kSyntheticSize);
  ASSERT_TRUE(fit);
  EXPECT_DOUBLE_EQ(fit->inlier_ratio, static_cast<double>(valid_count - 1) / static_cast<double>(valid_count));
  EXPECT_GT(fit->mean_reprojection_error, 0.5);
}

TEST(FitHomography, NeedsFourValidKeypoints) {
  EXPECT_FALSE(fit_homography(keypoints_of({{0, {100, 100}}, {1, {300, 100}}, {2, {300, 300}}}), kSyntheticSize));
  EXPECT_FALSE(fit_homography(keypoints_of({{0, {100, 100}}, {1, {300, 100}}, {2, {300, 300}}, {3, {110, 110}}}), kSyntheticSize));
}

TEST(OnLineScore, LogisticOfTheMeanNormalisedDistance) {
  const FrameSize size{1000, 1000};
  const KeypointArray on_twenty = keypoints_of({{0, {100, 520}}, {1, {300, 520}}, {2, {500, 520}}, {3, {700, 520}}});
  const std::vector<LineSegment> line{{0, 500, 1000, 500}};
  EXPECT_NEAR(on_line_score(on_twenty, line, size), 0.5, 1e-12);  // 20 px / 1000 = the logistic's midpoint
  const KeypointArray on_line = keypoints_of({{0, {100, 500}}, {1, {300, 500}}});
  EXPECT_DOUBLE_EQ(on_line_score(on_line, line, size), logistic(0));
  // Past the segment's end the distance is to the endpoint: (0, 500) to (30, 540) is 50 px.
  EXPECT_NEAR(on_line_score(keypoints_of({{0, {30, 540}}}), {{-100, 500, 0, 500}}, size), logistic(0.05), 1e-15);
  EXPECT_DOUBLE_EQ(on_line_score(on_line, {}, size), 0.0);
  EXPECT_DOUBLE_EQ(on_line_score(KeypointArray{}, line, size), 0.5);
}

TEST(BoxPrefilter, SizeAndScoreboardBand) {
  EXPECT_TRUE(box_passes_prefilter(box(1, 2, 100, 200, 115, 240), kSyntheticSize));   // exactly 15 x 40
  EXPECT_FALSE(box_passes_prefilter(box(1, 2, 100, 200, 114, 240), kSyntheticSize));
  EXPECT_FALSE(box_passes_prefilter(box(1, 3, 100, 200, 115, 239), kSyntheticSize));
  EXPECT_TRUE(box_passes_prefilter(box(1, 0, 100, 200, 104, 204), kSyntheticSize));   // a ball at any size
  EXPECT_FALSE(box_passes_prefilter(box(1, 2, 100, 150, 120, 200), kSyntheticSize));  // y1 == 150 touches
  EXPECT_TRUE(box_passes_prefilter(box(1, 2, 100, 150.5, 120, 200), kSyntheticSize));
  EXPECT_TRUE(box_passes_prefilter(box(1, 2, 1281, 100, 1300, 145), kSyntheticSize));  // right of the frame
}

TEST(FractionInsidePitch, CountsFilteredBoxesWhoseCentreMapsIntoThePitch) {
  const cv::Matx33d pitch_to_frame = testing::synthetic_pitch_homography();
  const auto fit = fit_homography(testing::project_keypoints(pitch_to_frame), kSyntheticSize);
  ASSERT_TRUE(fit);
  ScoredFrame frame;
  frame.objects = {testing::player_at(pitch_to_frame, 1, 3000, 3000), testing::player_at(pitch_to_frame, 2, 9000, 5000),
                   testing::player_at(pitch_to_frame, 3, 6000, 6500),
                   testing::player_at(pitch_to_frame, 4, -1500, 3500),  // behind the goal line
                   box(5, 2, 600, 100, 620, 150)};                      // scoreboard band: not counted
  EXPECT_DOUBLE_EQ(fraction_inside_pitch(frame, fit->homography, kSyntheticSize), 0.75);
  frame.objects.clear();
  EXPECT_DOUBLE_EQ(fraction_inside_pitch(frame, fit->homography, kSyntheticSize), 0.0);
}

TEST(ScaleRatio, MeanKeypointSpreadOverMeanPlayerSpread) {
  ScoredFrame frame;
  frame.keypoints = keypoints_of({{0, {100, 300}}, {1, {400, 300}}, {2, {400, 700}}});  // 300, 400, 500: mean 400
  frame.objects = {player_centred(1, 500, 400), player_centred(2, 600, 400)};            // 100 apart
  EXPECT_DOUBLE_EQ(keypoint_to_player_scale_ratio(frame, kSyntheticSize), 400 / (100 + 1e-6));
  frame.objects.pop_back();
  EXPECT_DOUBLE_EQ(keypoint_to_player_scale_ratio(frame, kSyntheticSize), 1.0);
}

// Frames with the given player centres (id -> centre) and no keypoints.
ScoredFrame frame_with_players(int64_t number, std::initializer_list<std::pair<int64_t, cv::Point2d>> players) {
  ScoredFrame frame;
  frame.frame_number = number;
  for (const auto& [id, centre] : players) frame.objects.push_back(player_centred(id, centre.x, centre.y));
  return frame;
}

TEST(SceneTransitions, HalfThePlayersJumpingStartsASegment) {
  const std::vector<ScoredFrame> frames{
      frame_with_players(0, {{1, {400, 400}}, {2, {600, 400}}}),
      frame_with_players(1, {{1, {425, 400}}, {2, {605, 400}}}),  // one of two jumps 25 px: a cut
      frame_with_players(2, {{1, {430, 400}}, {2, {610, 400}}, {3, {800, 400}}}),
      frame_with_players(3, {{1, {455, 400}}, {2, {615, 400}}, {3, {805, 400}}}),  // one of three: no cut
  };
  const Segmentation segmentation = detect_scene_transitions(frames);
  EXPECT_EQ(segmentation.transitions, (std::vector<int64_t>{1}));
  // As in the validator, the frame that reveals the cut still belongs to the segment before it.
  EXPECT_EQ(segmentation.segment_of_frame, (std::map<int64_t, int>{{0, 0}, {1, 0}, {2, 1}, {3, 1}}));
}

TEST(PlayerPlausibility, ShareOfMovesUnderThirtyPixels) {
  const std::vector<ScoredFrame> frames{
      frame_with_players(0, {{1, {400, 400}}, {2, {600, 400}}}),
      frame_with_players(1, {{1, {410, 400}}, {2, {610, 400}}}),
      frame_with_players(2, {{1, {420, 400}}, {2, {650, 400}}}),  // player 2 moves 40 px
      frame_with_players(6, {{1, {900, 400}}, {2, {100, 400}}}),  // 4 frames later: not compared
  };
  Segmentation one_segment;
  for (const ScoredFrame& frame : frames) one_segment.segment_of_frame[frame.frame_number] = 0;
  EXPECT_DOUBLE_EQ(player_plausibility_by_segment(frames, one_segment).at(0), 0.75);

  Segmentation single_frames;
  for (int i = 0; i < 4; ++i) single_frames.segment_of_frame[frames[static_cast<size_t>(i)].frame_number] = i;
  EXPECT_DOUBLE_EQ(player_plausibility_by_segment(frames, single_frames).at(2), 1.0);

  const std::vector<ScoredFrame> no_players{frame_with_players(0, {}), frame_with_players(1, {})};
  Segmentation both;
  both.segment_of_frame = {{0, 0}, {1, 0}};
  EXPECT_DOUBLE_EQ(player_plausibility_by_segment(no_players, both).at(0), 0.5);
}

TEST(PlayerPositionScore, MediumJumpsCostHalf) {
  const std::vector<ScoredFrame> frames{
      frame_with_players(0, {{1, {400, 400}}}),
      frame_with_players(1, {{1, {401, 400}}}),  // 1 px: 1
      frame_with_players(2, {{1, {406, 400}}}),  // 5 px: 0.5
      frame_with_players(3, {{1, {456, 400}}}),  // 50 px: 1
  };
  EXPECT_DOUBLE_EQ(player_position_score(frames), 2.5 / 3 * 100);
  EXPECT_DOUBLE_EQ(player_position_score({frames[0]}), 0.0);
}

TEST(SceneKeypointConsistency, LogisticOfMovementPerRunOfConsecutiveFrames) {
  const FrameSize size{600, 800};  // diagonal 1000
  const auto frame = [](int64_t number, double shift) {
    ScoredFrame f;
    f.frame_number = number;
    f.keypoints = keypoints_of({{0, {100 + shift, 100}}, {1, {300 + shift, 100}}, {2, {100 + shift, 400}}});
    return f;
  };
  // Run {0, 1}: 1 then a 20 px move (0.02 of the diagonal: 0.5). Run {5}: 1. Weighted (1.5 + 1) / 3.
  const std::vector<ScoredFrame> frames{frame(0, 0), frame(1, 20), frame(5, 0)};
  EXPECT_DOUBLE_EQ(scene_keypoint_consistency(frames, {0, 1, 5}, size), 2.5 / 3);
  // A validated frame the response lacks scores 0.
  EXPECT_DOUBLE_EQ(scene_keypoint_consistency(frames, {5, 6}, size), 0.5);
  // No keypoint in two consecutive frames is consistent; keypoints vanishing is not.
  std::vector<ScoredFrame> empty{frame(0, 0), frame(1, 0), frame(2, 0)};
  empty[0].keypoints = empty[1].keypoints = KeypointArray{};
  EXPECT_DOUBLE_EQ(scene_keypoint_consistency(empty, {0, 1, 2}, size), 2.0 / 3);
  EXPECT_DOUBLE_EQ(scene_keypoint_consistency(frames, {}, size), 1.0);
}

TEST(KeypointStability, RelativeChangeOfKeypointDistances) {
  const cv::Matx33d pitch_to_frame = testing::synthetic_pitch_homography();
  ScoredFrame first, second;
  first.frame_number = 0;
  second.frame_number = 1;
  first.keypoints = testing::project_keypoints(pitch_to_frame);
  // The second view zoomed 1.1x about the frame origin: every pairwise distance grows by 10%.
  const cv::Matx33d zoom(1.1, 0, 0, 0, 1.1, 0, 0, 0, 1);
  second.keypoints = testing::project_keypoints(zoom * pitch_to_frame);
  Segmentation segmentation;
  segmentation.segment_of_frame = {{0, 0}, {1, 0}};
  const SegmentStability stability = stability_by_segment({first, second}, segmentation, kSyntheticSize).at(0);
  EXPECT_NEAR(stability.keypoint_stability, std::exp(-10 * 0.1), 1e-6);
  second.keypoints = first.keypoints;
  const SegmentStability still = stability_by_segment({first, second}, segmentation, kSyntheticSize).at(0);
  EXPECT_DOUBLE_EQ(still.keypoint_stability, 1.0);
  EXPECT_DOUBLE_EQ(still.homography_stability, 1.0);
}

// Two identical frames of a perfect view: exact keypoints, players standing still inside the pitch.
struct PerfectClip {
  std::vector<ScoredFrame> frames;
  std::map<int64_t, std::vector<LineSegment>> lines;
};

PerfectClip perfect_clip() {
  const cv::Matx33d pitch_to_frame = testing::synthetic_pitch_homography();
  PerfectClip clip;
  ScoredFrame frame;
  frame.keypoints = testing::project_keypoints(pitch_to_frame);
  frame.objects = {testing::player_at(pitch_to_frame, 1, 5000, 3000), testing::player_at(pitch_to_frame, 2, 5500, 3500),
                   testing::player_at(pitch_to_frame, 3, 6000, 3200)};
  const std::vector<LineSegment> lines = detect_pitch_lines(testing::render_pitch(pitch_to_frame));
  for (int64_t number : {0, 1}) {
    frame.frame_number = number;
    clip.frames.push_back(frame);
    clip.lines[number] = lines;
  }
  return clip;
}

TEST(ScoreKeypoints, APerfectClipScoresTheMaximum) {
  const PerfectClip clip = perfect_clip();
  const KeypointScoreBreakdown score = score_keypoints(clip.frames, {0, 1}, clip.lines, kSyntheticSize);
  ASSERT_EQ(score.frames.size(), 2u);
  EXPECT_GT(score.keypoint_score, 99.99);
  // Even a perfect frame stays under 1: the penalty spots lie on no line (45 px from the goal box) and
  // the detector finds no straight segment where the centre circle turns at its side points (< 81 px
  // away). With the 28 other keypoints within 2.5 px of a line edge the mean is under
  // (4 * 81 + 28 * 2.5) / 32 = 12.3 px.
  EXPECT_GT(score.mean_on_line, logistic(12.3 / 1280));
  EXPECT_DOUBLE_EQ(score.mean_inside, 1.0);
  EXPECT_DOUBLE_EQ(score.mean_scale, 1.0);
  EXPECT_DOUBLE_EQ(score.scale_valid, 1.0);
  EXPECT_DOUBLE_EQ(score.keypoint_stability, 1.0);
  EXPECT_DOUBLE_EQ(score.player_plausibility, 1.0);
  EXPECT_DOUBLE_EQ(score.player_score, 100.0);
  // Consecutive frames: the second scores the logistic of a zero move, 1 / (1 + e^(-0.02/0.0037)).
  EXPECT_DOUBLE_EQ(score.scene_consistency, (1 + logistic(0)) / 2);
  const double weighted = 0.25 * score.keypoint_score + 40 * score.mean_on_line + 20 + 5 + 10;
  EXPECT_NEAR(score.final_score, weighted * score.scene_consistency / 100, 1e-12);
  EXPECT_GT(score.final_score, 0.97);
}

TEST(ScoreKeypoints, DefectsLowerTheirOwnComponent) {
  const PerfectClip perfect = perfect_clip();
  const KeypointScoreBreakdown reference = score_keypoints(perfect.frames, {0, 1}, perfect.lines, kSyntheticSize);

  PerfectClip displaced = perfect;  // a penalty box corner 60 px off its lines in the second frame
  displaced.frames[1].keypoints[9][0] += 60;
  const KeypointScoreBreakdown moved = score_keypoints(displaced.frames, {0, 1}, displaced.lines, kSyntheticSize);
  EXPECT_LT(moved.keypoint_score, reference.keypoint_score);
  EXPECT_LT(moved.mean_on_line, reference.mean_on_line);
  EXPECT_LT(moved.keypoint_stability, reference.keypoint_stability);
  EXPECT_LT(moved.scene_consistency, reference.scene_consistency);
  EXPECT_DOUBLE_EQ(moved.mean_inside, reference.mean_inside);
  EXPECT_DOUBLE_EQ(moved.player_score, reference.player_score);

  PerfectClip outside = perfect;  // one of three players behind the goal line in both frames
  for (ScoredFrame& frame : outside.frames) {
    frame.objects[2] = testing::player_at(testing::synthetic_pitch_homography(), 3, -1500, 3500);
  }
  const KeypointScoreBreakdown off_pitch = score_keypoints(outside.frames, {0, 1}, outside.lines, kSyntheticSize);
  EXPECT_DOUBLE_EQ(off_pitch.mean_inside, 2.0 / 3);
  EXPECT_DOUBLE_EQ(off_pitch.keypoint_score, reference.keypoint_score);
  EXPECT_DOUBLE_EQ(off_pitch.mean_on_line, reference.mean_on_line);

  PerfectClip hesitant = perfect;  // every player shifts 5 px: medium jumps, half credit
  for (ScoredObject& object : hesitant.frames[1].objects) {
    object.bbox[0] += 5;
    object.bbox[2] += 5;
  }
  const KeypointScoreBreakdown jumpy = score_keypoints(hesitant.frames, {0, 1}, hesitant.lines, kSyntheticSize);
  EXPECT_DOUBLE_EQ(jumpy.player_score, 50.0);
  EXPECT_DOUBLE_EQ(jumpy.player_plausibility, 1.0);
  EXPECT_NEAR(reference.final_score - jumpy.final_score, 0.1 * 25 * reference.scene_consistency / 100, 1e-12);

  // Validated frames the response lacks lower scale_valid: 2 fitted of 6 validated, / 0.4.
  const KeypointScoreBreakdown sparse = score_keypoints(perfect.frames, {0, 1, 2, 3, 4, 5}, perfect.lines, kSyntheticSize);
  EXPECT_DOUBLE_EQ(sparse.scale_valid, 2.0 / 6 / 0.4);

  // No lines detected: the on-line component, weighted 0.4, drops to 0.
  const KeypointScoreBreakdown blind = score_keypoints(perfect.frames, {0, 1}, {}, kSyntheticSize);
  EXPECT_DOUBLE_EQ(blind.mean_on_line, 0.0);
  EXPECT_NEAR(reference.final_score - blind.final_score, 0.4 * reference.mean_on_line * reference.scene_consistency, 1e-12);
}

TEST(ScoreKeypoints, NothingToValidateScoresZero) {
  const PerfectClip clip = perfect_clip();
  EXPECT_DOUBLE_EQ(score_keypoints(clip.frames, {}, clip.lines, kSyntheticSize).final_score, 0.0);
  EXPECT_DOUBLE_EQ(score_keypoints({}, {0, 1}, clip.lines, kSyntheticSize).final_score, 0.0);
}

}  // namespace
}  // namespace sn44::scoring

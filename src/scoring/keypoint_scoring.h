#pragma once
// The validator's keypoint score (validator/evaluation/keypoint_scoring.py of score-vision, commit
// 1791fe19, 2025-08-14), component by component, with its constants. Every function mirrors one step
// of the validator so that each number can be checked and explained on its own.

#include <map>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "scoring/miner_result.h"
#include "scoring/pitch_lines.h"

namespace sn44::scoring {

struct FrameSize {
  int width = 0;
  int height = 0;
};

// Keypoints the validator uses: not (0, 0), inside the frame when a size is given, and at least
// min_distance px from every keypoint kept before them (a greedy pass in vertex order).
struct ValidKeypoints {
  std::vector<cv::Point2d> points;
  std::vector<int> indices;  // vertex index of each point
};
inline constexpr double kMinKeypointDistance = 25;
ValidKeypoints valid_keypoints(const KeypointArray& keypoints, std::optional<FrameSize> bounds);

// Homography from the valid keypoints to the template scaled into the frame (x by width / 7000,
// y by height / 12000, as the validator does), RANSAC with a threshold of max(1% of width, 12 px).
struct HomographyFit {
  cv::Matx33d homography;
  double inlier_ratio = 0;
  double mean_reprojection_error = 0;  // px, over all valid keypoints
};
std::optional<HomographyFit> fit_homography(const KeypointArray& keypoints, FrameSize size);

// (min(100 inlier_ratio, 100) + max(0, 100 - error)) / 2, in 0..100.
double keypoint_fit_score(double inlier_ratio, double mean_reprojection_error);

// Logistic score of the mean normalised distance from valid keypoints to the nearest detected line:
// 1 / (1 + exp((d - 0.02) / 0.0037)). 0.5 with no valid keypoint, 0 with no line.
double on_line_score(const KeypointArray& keypoints, const std::vector<LineSegment>& lines, FrameSize size);

// The validator's object filter before the keypoint checks and the CLIP step: boxes of at least
// 15 x 40 px (the ball at any size) that do not touch the top 150 px band (the scoreboard).
bool box_passes_prefilter(const ScoredObject& object, FrameSize size);

// Fraction of the filtered objects whose box centre, mapped by the homography, falls in the pitch
// outline. The validator tests the mapped point (scaled-template pixels) against the outline in cm.
double fraction_inside_pitch(const ScoredFrame& frame, const cv::Matx33d& homography, FrameSize size);

// Mean pairwise keypoint distance over mean pairwise distance of filtered object centres (1 when
// either has fewer than two points).
double keypoint_to_player_scale_ratio(const ScoredFrame& frame, FrameSize size);

// Frames split at camera cuts: a frame where at least half of the players (class 2) that were also
// in the previous frame jumped more than 20 px starts a new segment.
struct Segmentation {
  std::vector<int64_t> transitions;
  std::map<int64_t, int> segment_of_frame;
};
Segmentation detect_scene_transitions(const std::vector<ScoredFrame>& frames);

struct SegmentStability {
  double keypoint_stability = 1;    // exp(-10 mean relative change of keypoint pairwise distances)
  double homography_stability = 1;  // exp(-mean Frobenius distance of normalised homographies)
};
std::map<int, SegmentStability> stability_by_segment(const std::vector<ScoredFrame>& frames,
                                                     const Segmentation& segmentation, FrameSize size);

// 1 - (player moves over 30 px between frames at most 2 apart) / (all such moves); 0.5 with none.
std::map<int, double> player_plausibility_by_segment(const std::vector<ScoredFrame>& frames,
                                                     const Segmentation& segmentation);

// Track-id continuity of players, 0..100: every jump counts 1 except those of 2..10 px (0.5).
double player_position_score(const std::vector<ScoredFrame>& frames);

// Keypoint consistency over runs of consecutive validated frames: each frame after the first of a
// run scores the logistic of the mean movement (normalised by the frame diagonal) of the keypoints
// it shares with the previous frame. Length-weighted mean over runs; 1 with no validated frame.
double scene_keypoint_consistency(const std::vector<ScoredFrame>& frames, const std::vector<int64_t>& frames_to_validate,
                                  FrameSize size);

struct FrameKeypointScore {
  int64_t frame_number = 0;
  double inlier_ratio = 0;
  double mean_reprojection_error = 0;
  double keypoint_score = 0;  // 0..100
  double on_line = 0;
  double inside = 0;
  double scale_ratio = 0;  // capped at 1.5
  int segment = 0;
};

struct KeypointScoreBreakdown {
  std::vector<FrameKeypointScore> frames;  // frames with a homography
  int frames_scored = 0;                   // response frames among the validated frames
  double keypoint_score = 0;               // mean keypoint_fit_score, 0..100
  double mean_on_line = 0;
  double mean_inside = 0;
  double keypoint_stability = 0;
  double player_plausibility = 0;
  double player_score = 0;  // 0..100
  double mean_scale = 0;    // mean capped scale ratio, then capped at 1
  double scale_valid = 0;   // share of validated frames with a homography, / 0.4, capped at 1
  double scene_consistency = 0;
  int scene_transitions = 0;
  double final_score = 0;  // 0..1: the validator's keypoints_final_score
};

// The whole keypoint score of one response. `frames_to_validate` are the frames the validator
// accepted as pitch views; `frames` are the response's frames in its order, of which only those
// among `frames_to_validate` count; `lines_by_frame` the detected pitch lines per frame number.
KeypointScoreBreakdown score_keypoints(const std::vector<ScoredFrame>& frames, const std::vector<int64_t>& frames_to_validate,
                                       const std::map<int64_t, std::vector<LineSegment>>& lines_by_frame, FrameSize size);

}  // namespace sn44::scoring

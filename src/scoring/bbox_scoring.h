#pragma once
// The validator's box score (validator/evaluation/bbox_clip.py of score-vision, commit 1791fe19):
// pre-filter the boxes, have CLIP say what each box really shows, award points per box with weights
// that halve for every repeat of a class, normalise, and scale down by the box-area penalty.
// The CLIP step is an interface: without a model the scorer substitutes an estimate and says so.

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "scoring/keypoint_scoring.h"

namespace sn44::scoring {

// What the validator's CLIP prompts can conclude about a box.
enum class BoxLabel { football, goalkeeper, player, referee, crowd, grass, goal, background, blank, other, not_football, black_shape };

std::string_view to_string(BoxLabel label);

// The label a miner's class id claims (0 ball, 1 goalkeeper, 2 player, 3 referee, else other).
BoxLabel label_of_class(int class_id);

// Classifies boxes the way the validator's CLIP cascade does. Returns one label per box; nullopt
// where the validator leaves a box unlabelled (it is then not scored).
class BoxClassifier {
 public:
  virtual ~BoxClassifier() = default;
  virtual std::string name() const = 0;
  virtual std::vector<std::optional<BoxLabel>> classify(const cv::Mat& frame_bgr, const std::vector<ScoredObject>& boxes) = 0;
};

// The stand-in used when no CLIP model is available: it agrees with every label the miner gave, so
// the box score it yields is an upper bound (what the miner would get if CLIP confirmed every box).
class MinerLabelsClassifier final : public BoxClassifier {
 public:
  std::string name() const override { return "miner labels (no CLIP model: upper bound)"; }
  std::vector<std::optional<BoxLabel>> classify(const cv::Mat& frame_bgr, const std::vector<ScoredObject>& boxes) override;
};

// Points of one box: -1 for grass/crowd/other/background; for a person 1 when the role matches, 0.5
// for another person role, -1 otherwise; for the ball 1 when confirmed, else -1; weighted 1/2^n
// where n counts earlier boxes of the same expected label.
double box_points(BoxLabel predicted, BoxLabel expected, int occurrence);

// The area penalty: 1 while boxes average at most 1.5% of the frame and cover at most 15% in all;
// exp(-3 (coverage - 0.15)) beyond that coverage; exp(-80 (average - 0.015)) for large boxes.
double box_area_factor(const std::vector<ScoredObject>& boxes, FrameSize size);

struct FrameBoxScore {
  int64_t frame_number = 0;
  int boxes_kept = 0;     // after the size / scoreboard pre-filter
  int extra_balls = 0;    // balls after the first, counted wrong
  double points = 0;
  int distinct_labels = 0;
  double area_factor = 1;
  double score = 0;       // points / (distinct labels + 1) * area factor
};

FrameBoxScore score_frame_boxes(const ScoredFrame& frame, const cv::Mat& frame_bgr, FrameSize size, BoxClassifier& classifier);

// Video score: mean frame score (of the frames with at least one object), capped at 1, times
// min(1, evaluated / selected / 0.7), rounded to 2 decimals as the validator stores it.
double video_box_score(const std::vector<FrameBoxScore>& frame_scores, int frames_selected);

}  // namespace sn44::scoring

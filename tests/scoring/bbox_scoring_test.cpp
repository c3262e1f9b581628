#include "scoring/bbox_scoring.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sn44::scoring {
namespace {

constexpr FrameSize kSize{1000, 1000};

ScoredObject box(int class_id, double x1, double y1, double w, double h) { return {0, {x1, y1, x1 + w, y1 + h}, class_id}; }

// Says every box shows the given labels, in order: a CLIP verdict fixed by the test.
class FixedClassifier final : public BoxClassifier {
 public:
  explicit FixedClassifier(std::vector<std::optional<BoxLabel>> labels) : labels_(std::move(labels)) {}
  std::string name() const override { return "fixed"; }
  std::vector<std::optional<BoxLabel>> classify(const cv::Mat&, const std::vector<ScoredObject>&) override { return labels_; }

 private:
  std::vector<std::optional<BoxLabel>> labels_;
};

TEST(BoxPoints, RewardsRolesAndHalvesRepeats) {
  EXPECT_DOUBLE_EQ(box_points(BoxLabel::player, BoxLabel::player, 0), 1.0);
  EXPECT_DOUBLE_EQ(box_points(BoxLabel::player, BoxLabel::player, 2), 0.25);
  EXPECT_DOUBLE_EQ(box_points(BoxLabel::goalkeeper, BoxLabel::referee, 0), 0.5);
  EXPECT_DOUBLE_EQ(box_points(BoxLabel::football, BoxLabel::player, 0), -1.0);
  EXPECT_DOUBLE_EQ(box_points(BoxLabel::player, BoxLabel::grass, 1), -0.5);
  EXPECT_DOUBLE_EQ(box_points(BoxLabel::football, BoxLabel::football, 0), 1.0);
  EXPECT_DOUBLE_EQ(box_points(BoxLabel::football, BoxLabel::not_football, 0), -1.0);
  EXPECT_DOUBLE_EQ(box_points(BoxLabel::player, BoxLabel::black_shape, 0), -1.0);
}

TEST(BoxAreaFactor, PenalisesCoverageAndLargeBoxes) {
  EXPECT_DOUBLE_EQ(box_area_factor({}, kSize), 1.0);
  // 10 boxes of 1% each: average 1%, coverage 10%: no penalty.
  EXPECT_DOUBLE_EQ(box_area_factor(std::vector<ScoredObject>(10, box(2, 0, 0, 100, 100)), kSize), 1.0);
  // 20 boxes of 1%: coverage 20%: exp(-3 * 0.05).
  EXPECT_NEAR(box_area_factor(std::vector<ScoredObject>(20, box(2, 0, 0, 100, 100)), kSize), std::exp(-0.15), 1e-12);
  // One box of 4%: exp(-80 * 0.025).
  EXPECT_NEAR(box_area_factor({box(2, 0, 0, 200, 200)}, kSize), std::exp(-2.0), 1e-12);
}

TEST(FrameBoxScore, MinerLabelsGiveTheUpperBoundAndExtraBallsCountWrong) {
  ScoredFrame frame;
  frame.objects = {box(2, 100, 300, 20, 50), box(2, 200, 300, 20, 50), box(2, 300, 300, 20, 50),
                   box(0, 400, 300, 8, 8),   box(0, 500, 300, 8, 8),
                   box(2, 600, 300, 10, 50),   // too narrow: filtered
                   box(3, 700, 120, 20, 50)};  // scoreboard band: filtered
  MinerLabelsClassifier classifier;
  const FrameBoxScore score = score_frame_boxes(frame, cv::Mat(), kSize, classifier);
  EXPECT_EQ(score.boxes_kept, 5);
  EXPECT_EQ(score.extra_balls, 1);
  // Players 1 + 0.5 + 0.25, ball 1, second ball -1 (not a football): 1.75 over (3 labels + 1).
  EXPECT_DOUBLE_EQ(score.points, 1.75);
  EXPECT_EQ(score.distinct_labels, 3);
  EXPECT_DOUBLE_EQ(score.area_factor, 1.0);
  EXPECT_DOUBLE_EQ(score.score, 1.75 / 4);
}

TEST(FrameBoxScore, ClassifierVerdictsDecideThePoints) {
  ScoredFrame frame;
  frame.objects = {box(2, 100, 300, 20, 50), box(1, 200, 300, 20, 50), box(3, 300, 300, 20, 50)};
  FixedClassifier clip({BoxLabel::player, BoxLabel::player, std::nullopt});
  const FrameBoxScore score = score_frame_boxes(frame, cv::Mat(), kSize, clip);
  // Player right (1), goalkeeper called a player (0.5, second player: weight 1/2), referee unlabelled.
  EXPECT_DOUBLE_EQ(score.points, 1.25);
  EXPECT_DOUBLE_EQ(score.score, 1.25 / 2);
  EXPECT_DOUBLE_EQ(score_frame_boxes(ScoredFrame{}, cv::Mat(), kSize, clip).score, 0.0);
}

TEST(VideoBoxScore, MeanTimesCoverageRoundedToCents) {
  std::vector<FrameBoxScore> frames(7);
  for (size_t i = 0; i < frames.size(); ++i) frames[i].score = i < 4 ? 0.5 : 0.3;  // mean (2 + 0.9) / 7
  EXPECT_DOUBLE_EQ(video_box_score(frames, 10), 0.41);                            // 0.414..., coverage 7/10/0.7 = 1
  EXPECT_DOUBLE_EQ(video_box_score(frames, 20), 0.21);                            // coverage 0.5: 0.207...
  EXPECT_DOUBLE_EQ(video_box_score({}, 10), 0.0);
}

}  // namespace
}  // namespace sn44::scoring

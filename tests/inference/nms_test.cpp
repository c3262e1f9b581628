#include "inference/nms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace sn44::inference {
namespace {

using ::testing::ElementsAre;

TEST(BoxIou, HandComputedOverlaps) {
  // Two 10x10 boxes sharing a 5x10 strip: 50 / (100 + 100 - 50) = 1/3.
  EXPECT_FLOAT_EQ(box_iou({0, 0, 10, 10}, {5, 0, 15, 10}), 1.0f / 3.0f);
  EXPECT_FLOAT_EQ(box_iou({0, 0, 10, 10}, {0, 0, 10, 10}), 1.0f);
  EXPECT_FLOAT_EQ(box_iou({0, 0, 10, 10}, {10, 0, 20, 10}), 0.0f) << "touching edges do not overlap";
  EXPECT_FLOAT_EQ(box_iou({0, 0, 10, 10}, {20, 20, 30, 30}), 0.0f);
  EXPECT_FLOAT_EQ(box_iou({0, 0, 4, 4}, {1, 1, 3, 3}), 0.25f) << "contained box";
  EXPECT_FLOAT_EQ(box_iou({5, 5, 5, 5}, {5, 5, 5, 5}), 0.0f) << "empty boxes have no IoU";
}

TEST(NonMaxSuppression, KeepsTheBestOfEachClusterInScoreOrder) {
  const std::vector<Box> boxes = {
      {0, 0, 10, 10},    // 0: cluster A, second best
      {1, 0, 11, 10},    // 1: cluster A, best (IoU with 0: 90/110 = 0.818)
      {50, 50, 60, 60},  // 2: alone
      {2, 0, 12, 10},    // 3: cluster A, weakest
  };
  const std::vector<float> scores = {0.8f, 0.9f, 0.3f, 0.5f};
  EXPECT_THAT(non_max_suppression(boxes, scores, 0.7f), ElementsAre(1, 2));
  // With a looser threshold nothing in cluster A overlaps enough (0.818 > 0.85 is false).
  EXPECT_THAT(non_max_suppression(boxes, scores, 0.85f), ElementsAre(1, 0, 3, 2));
}

TEST(NonMaxSuppression, IouEqualToTheThresholdIsNotSuppressed) {
  // IoU exactly 1/3 (see above): suppression needs strictly more.
  const std::vector<Box> boxes = {{0, 0, 10, 10}, {5, 0, 15, 10}};
  const std::vector<float> scores = {0.9f, 0.8f};
  EXPECT_THAT(non_max_suppression(boxes, scores, 1.0f / 3.0f), ElementsAre(0, 1));
  EXPECT_THAT(non_max_suppression(boxes, scores, 0.33f), ElementsAre(0));
}

TEST(NonMaxSuppression, EqualScoresKeepTheirInputOrder) {
  const std::vector<Box> boxes = {{0, 0, 10, 10}, {0, 0, 10, 10}, {30, 30, 40, 40}};
  const std::vector<float> scores = {0.5f, 0.5f, 0.5f};
  EXPECT_THAT(non_max_suppression(boxes, scores, 0.7f), ElementsAre(0, 2));
}

TEST(NonMaxSuppression, EmptyInput) {
  EXPECT_TRUE(non_max_suppression({}, {}, 0.7f).empty());
}

}  // namespace
}  // namespace sn44::inference

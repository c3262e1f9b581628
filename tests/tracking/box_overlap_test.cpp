#include "tracking/box_overlap.h"

#include <gtest/gtest.h>

namespace sn44::tracking {
namespace {

OverlapBox single(double x1, double y1, double x2, double y2) { return {x1, y1, x2, y2, true, true}; }
OverlapBox wide(double x1, double y1, double x2, double y2) { return {x1, y1, x2, y2, false, true}; }

TEST(BoxOverlap, HandComputedOverlaps) {
  EXPECT_EQ(box_iou(single(0, 0, 10, 10), single(0, 0, 10, 10)), 1.0f);
  // Half of one box over the other: 50 / (100 + 100 - 50).
  EXPECT_EQ(box_iou(single(0, 0, 10, 10), single(5, 0, 15, 10)), 1.0f / 3.0f);
  // A 2x2 corner in common: 4 / (100 + 16 - 4).
  EXPECT_EQ(box_iou(single(0, 0, 10, 10), wide(8, 8, 12, 12)), 4.0f / 112.0f);
  // Touching edges and disjoint boxes.
  EXPECT_EQ(box_iou(single(0, 0, 10, 10), single(10, 0, 20, 10)), 0.0f);
  EXPECT_EQ(box_iou(single(0, 0, 10, 10), single(50, 50, 60, 60)), 0.0f);
  // No +1 pixel term: a box inside another, 4 / 16.
  EXPECT_EQ(box_iou(single(0, 0, 4, 4), single(1, 1, 3, 3)), 0.25f);
}

TEST(BoxOverlap, EmptyUnionsAndUndefinedBoxesOverlapNothing) {
  EXPECT_EQ(box_iou(single(5, 5, 5, 5), single(5, 5, 5, 5)), 0.0f);
  EXPECT_EQ(box_iou(single(0, 0, 10, 0), single(0, 0, 10, 10)), 0.0f);
  OverlapBox undefined = single(0, 0, 10, 10);
  undefined.defined = false;
  EXPECT_EQ(box_iou(undefined, single(0, 0, 10, 10)), 0.0f);
  EXPECT_EQ(box_iou(single(0, 0, 10, 10), undefined), 0.0f);
}

// Reference values from supervision 0.27's box_iou_batch (NumPy 1.24), run once on these boxes as
// float32 arrays, or with the first box as float64 (the same numbers as doubles): the union's
// precision changes the last bit.
TEST(BoxOverlap, RoundsTheUnionInTheWiderPrecisionOfTheTwoBoxes) {
  const OverlapBox detection = single(3.3f, 4.4f, 33.3f, 66.6f);
  EXPECT_EQ(box_iou(single(0.1f, 0.2f, 30.3f, 60.7f), detection), 0.6995397806167603f);
  EXPECT_EQ(box_iou(wide(0.1, 0.2, 30.3, 60.7), detection), 0.699539840221405f);
  const OverlapBox other = single(-0.8855291604995728, 7.819700717926025, 100.29811096191406, 100.51374816894531);
  EXPECT_EQ(box_iou(single(2.8319671154022217, 12.428327560424805, 102.58673858642578, 99.41276550292969), other),
            0.8851391077041626f);
  EXPECT_EQ(box_iou(wide(2.8319671154022217, 12.428327560424805, 102.58673858642578, 99.41276550292969), other),
            0.8851391673088074f);
}

TEST(BoxOverlap, FusedCostsOfASmallMatrix) {
  // Two tracks against two detections with scores 0.9 and 0.5: cost = 1 - IoU * score.
  const OverlapBox tracks[] = {single(0, 0, 10, 10), single(20, 0, 30, 10)};
  const OverlapBox detections[] = {single(5, 0, 15, 10), single(20, 0, 30, 10)};
  const float scores[] = {0.9f, 0.5f};
  const float expected[2][2] = {{1 - 0.9f / 3, 1}, {1, 1 - 0.5f}};
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      const float fused = fuse_score(1.0f - box_iou(tracks[i], detections[j]), scores[j]);
      EXPECT_FLOAT_EQ(fused, expected[i][j]) << i << ", " << j;
    }
  }
  // The reference's order of operations: 1 - (1 - (1 - IoU)) * score, all in float32.
  const float iou_cost = 1.0f - 0.3f;
  EXPECT_EQ(fuse_score(iou_cost, 0.7f), 1.0f - (1.0f - iou_cost) * 0.7f);
}

}  // namespace
}  // namespace sn44::tracking

#include "pipeline/interpolation.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sn44::pipeline {
namespace {

InferredFrame inferred(int64_t number, std::vector<TrackedObject> objects) {
  InferredFrame frame;
  frame.frame_number = number;
  frame.objects = std::move(objects);
  return frame;
}

TEST(Interpolation, BoxesOfTracksSeenOnBothSidesMoveLinearly) {
  InferredFrame before = inferred(10, {{7, {0, 0, 10, 20}, 2, 0.5f}, {8, {100, 100, 110, 120}, 3, 0.9f}});
  InferredFrame after = inferred(14, {{9, {50, 50, 60, 60}, 0, 0.4f}, {7, {40, 8, 50, 28}, 1, 0.7f}});
  const FrameResult middle = interpolate_frame(before, after, 11);  // t = 1/4
  EXPECT_EQ(middle.frame_number, 11);
  ASSERT_EQ(middle.objects.size(), 1u) << "track 8 ends and track 9 starts: neither is extrapolated";
  const TrackedObject& object = middle.objects[0];
  EXPECT_EQ(object.track_id, 7);
  EXPECT_EQ(object.box, (Box{10, 2, 20, 22}));
  EXPECT_EQ(object.class_id, 2) << "class of the earlier sighting";
  EXPECT_FLOAT_EQ(object.score, 0.55f);
}

TEST(Interpolation, KeypointsInterpolateWhereVisibleOnBothSidesElseTakeTheNearerFrame) {
  InferredFrame before = inferred(0, {});
  InferredFrame after = inferred(4, {});
  before.keypoints[0] = {100, 200, 0.9f};
  after.keypoints[0] = {140, 160, 0.8f};
  before.keypoints[1] = {10, 10, 0.9f};  // disappears
  after.keypoints[2] = {30, 30, 0.9f};   // appears
  const FrameResult first_quarter = interpolate_frame(before, after, 1);
  EXPECT_FLOAT_EQ(first_quarter.keypoints[0][0], 110);
  EXPECT_FLOAT_EQ(first_quarter.keypoints[0][1], 190);
  EXPECT_FLOAT_EQ(first_quarter.keypoints[1][0], 10) << "nearer to the frame where it is visible";
  EXPECT_FLOAT_EQ(first_quarter.keypoints[2][0], 0) << "nearer to the frame where it is not";
  const FrameResult last_quarter = interpolate_frame(before, after, 3);
  EXPECT_FLOAT_EQ(last_quarter.keypoints[1][0], 0);
  EXPECT_FLOAT_EQ(last_quarter.keypoints[2][0], 30);
  EXPECT_FLOAT_EQ(last_quarter.keypoints[5][0], 0) << "invisible on both sides";
}

TEST(Interpolation, FillsEveryFrameInOrder) {
  std::vector<InferredFrame> frames = {inferred(0, {{1, {0, 0, 10, 10}, 2, 1.0f}}),
                                       inferred(3, {{1, {30, 0, 40, 10}, 2, 1.0f}}),
                                       inferred(4, {{1, {40, 0, 50, 10}, 2, 1.0f}})};
  const std::vector<FrameResult> result = fill_skipped_frames(frames, 5);
  ASSERT_EQ(result.size(), 5u);
  for (int64_t i = 0; i < 5; ++i) {
    EXPECT_EQ(result[static_cast<size_t>(i)].frame_number, i);
    ASSERT_EQ(result[static_cast<size_t>(i)].objects.size(), 1u);
    EXPECT_FLOAT_EQ(result[static_cast<size_t>(i)].objects[0].box.x1, 10.0f * static_cast<float>(i));
  }
}

TEST(Interpolation, RefusesToExtrapolate) {
  const std::vector<InferredFrame> missing_last = {inferred(0, {}), inferred(2, {})};
  EXPECT_THROW(fill_skipped_frames(missing_last, 4), Error);
  const std::vector<InferredFrame> missing_first = {inferred(1, {})};
  EXPECT_THROW(fill_skipped_frames(missing_first, 2), Error);
  EXPECT_THROW(interpolate_frame(inferred(2, {}), inferred(4, {}), 4), Error);
  EXPECT_TRUE(fill_skipped_frames({}, 0).empty());
}

}  // namespace
}  // namespace sn44::pipeline

// ByteTrack behaviour on hand-built scenes, following supervision's rules: who gets an id when,
// how ids persist, when a lost object keeps its id and when it gets a new one.

#include "tracking/byte_tracker.h"

#include <gtest/gtest.h>

namespace sn44::tracking {
namespace {

Detection detection(float x, float y, float score = 0.9f, int class_id = 2) {
  return {Box{x, y, x + 40, y + 80}, score, class_id};
}

std::vector<int64_t> ids(const std::vector<TrackedObject>& objects) {
  std::vector<int64_t> result;
  for (const TrackedObject& object : objects) result.push_back(object.track_id);
  return result;
}

TEST(ByteTracker, TracksBornInTheFirstFrameAreReportedAtOnceWithIdsFromOne) {
  ByteTracker tracker;
  const auto objects = tracker.update({detection(100, 100), detection(400, 100, 0.8f, 3)});
  EXPECT_EQ(ids(objects), (std::vector<int64_t>{1, 2}));
  // The output carries the detections themselves.
  EXPECT_EQ(objects[1].box, detection(400, 100).box);
  EXPECT_EQ(objects[1].class_id, 3);
  EXPECT_FLOAT_EQ(objects[1].score, 0.8f);
}

TEST(ByteTracker, ALaterTrackIsReportedFromItsSecondFrame) {
  ByteTracker tracker;
  tracker.update({detection(100, 100)});
  EXPECT_EQ(ids(tracker.update({detection(102, 100), detection(600, 300)})), (std::vector<int64_t>{1}));
  EXPECT_EQ(ids(tracker.update({detection(104, 100), detection(602, 300)})), (std::vector<int64_t>{1, 2}));
}

TEST(ByteTracker, IdsPersistWhileAnObjectMoves) {
  ByteTracker tracker;
  for (int frame = 0; frame < 50; ++frame) {
    const float x = 100.0f + 6.0f * static_cast<float>(frame);
    EXPECT_EQ(ids(tracker.update({detection(x, 100), detection(900 - x, 400)})), (std::vector<int64_t>{1, 2}))
        << "frame " << frame;
  }
}

TEST(ByteTracker, OutputFollowsInputOrder) {
  ByteTracker tracker;
  tracker.update({detection(100, 100), detection(400, 100)});
  EXPECT_EQ(ids(tracker.update({detection(401, 100), detection(101, 100)})), (std::vector<int64_t>{2, 1}));
}

TEST(ByteTracker, ADetectionUnderTheBirthThresholdStartsNoTrack) {
  // New tracks need activation threshold + 0.1 = 0.35.
  ByteTracker tracker;
  EXPECT_TRUE(tracker.update({detection(100, 100, 0.34f)}).empty());
  EXPECT_TRUE(tracker.update({detection(100, 100, 0.34f)}).empty());
  EXPECT_EQ(ids(tracker.update({detection(100, 100, 0.36f)})), (std::vector<int64_t>{}));  // unconfirmed
  EXPECT_EQ(ids(tracker.update({detection(100, 100, 0.36f)})), (std::vector<int64_t>{1}));
}

TEST(ByteTracker, ALowScoreDetectionKeepsAnExistingTrackAlive) {
  ByteTracker tracker;
  tracker.update({detection(100, 100)});
  // 0.15 is under the activation threshold but over 0.1: second association.
  const auto objects = tracker.update({detection(101, 100, 0.15f)});
  ASSERT_EQ(ids(objects), (std::vector<int64_t>{1}));
  EXPECT_FLOAT_EQ(objects[0].score, 0.15f);
  // At 0.1 or below the detection is ignored and the track is lost.
  EXPECT_TRUE(tracker.update({detection(102, 100, 0.1f)}).empty());
}

TEST(ByteTracker, AnObjectHiddenWithinTheBufferComesBackWithItsId) {
  ByteTracker tracker;
  tracker.update({detection(100, 100), detection(500, 100)});
  tracker.update({detection(100, 100), detection(500, 100)});
  for (int frame = 0; frame < 20; ++frame) {
    EXPECT_EQ(ids(tracker.update({detection(500, 100)})), (std::vector<int64_t>{2}));  // object 1 occluded
  }
  EXPECT_EQ(ids(tracker.update({detection(100, 100), detection(500, 100)})), (std::vector<int64_t>{1, 2}));
}

// Object 1 is last seen in frame 2. At frame 2 + 31 it has been lost for more than the buffer (30)
// and is marked removed, but, as in the reference, it leaves the lost list only at the end of the
// next frame, so it can still be found in frame 34. Expected ids from supervision 0.27 on the same
// frames.
TEST(ByteTracker, AnObjectBackOneFrameAfterItsBufferRanOutStillKeepsItsId) {
  ByteTracker tracker;
  tracker.update({detection(100, 100), detection(500, 100)});
  tracker.update({detection(100, 100), detection(500, 100)});
  for (int frame = 0; frame < 31; ++frame) tracker.update({detection(500, 100)});
  EXPECT_EQ(ids(tracker.update({detection(100, 100), detection(500, 100)})), (std::vector<int64_t>{1, 2}));
}

TEST(ByteTracker, AnObjectHiddenLongerThanTheBufferGetsANewId) {
  ByteTracker tracker;
  tracker.update({detection(100, 100), detection(500, 100)});
  tracker.update({detection(100, 100), detection(500, 100)});
  for (int frame = 0; frame < 32; ++frame) tracker.update({detection(500, 100)});
  EXPECT_EQ(ids(tracker.update({detection(100, 100), detection(500, 100)})), (std::vector<int64_t>{2}));
  EXPECT_EQ(ids(tracker.update({detection(100, 100), detection(500, 100)})), (std::vector<int64_t>{3, 2}));
}

TEST(ByteTracker, TheBufferScalesWithTheFrameRate) {
  EXPECT_EQ(ByteTracker().max_time_lost(), 30);
  EXPECT_EQ(ByteTracker({.frame_rate = 60}).max_time_lost(), 60);
  EXPECT_EQ(ByteTracker({.lost_track_buffer = 10, .frame_rate = 25}).max_time_lost(), 8);
}

TEST(ByteTracker, AnUnconfirmedTrackThatDiesYoungStillUsesUpItsId) {
  ByteTracker tracker;
  tracker.update({detection(100, 100)});
  tracker.update({detection(100, 100), detection(600, 300)});  // id 2 given, not yet reported
  tracker.update({detection(100, 100)});                       // the newcomer vanishes: removed
  tracker.update({detection(100, 100), detection(300, 500)});
  EXPECT_EQ(ids(tracker.update({detection(100, 100), detection(300, 500)})), (std::vector<int64_t>{1, 3}));
}

TEST(ByteTracker, ResetStartsIdsAgain) {
  ByteTracker tracker;
  tracker.update({detection(100, 100), detection(400, 100)});
  tracker.reset();
  EXPECT_EQ(ids(tracker.update({detection(700, 300)})), (std::vector<int64_t>{1}));
}

TEST(ByteTracker, ABoxWithoutHeightUsesUpAnIdButIsNeverReported) {
  // Its aspect ratio is not finite: the reference starts a track whose box is NaN, overlapping
  // nothing. Expected ids from supervision 0.27 run on the same frames.
  ByteTracker tracker;
  const Detection flat{Box{10, 10, 50, 10}, 0.9f, 0};
  EXPECT_EQ(ids(tracker.update({flat, detection(100, 100)})), (std::vector<int64_t>{2}));
  EXPECT_EQ(ids(tracker.update({flat, detection(100, 100)})), (std::vector<int64_t>{2}));  // id 3 for the flat box
  tracker.update({detection(100, 100), detection(300, 100)});
  EXPECT_EQ(ids(tracker.update({detection(100, 100), detection(300, 100)})), (std::vector<int64_t>{2, 4}));
}

TEST(ByteTracker, NoDetectionsNoOutput) {
  ByteTracker tracker;
  EXPECT_TRUE(tracker.update({}).empty());
  tracker.update({detection(100, 100)});
  EXPECT_TRUE(tracker.update({}).empty());
}

}  // namespace
}  // namespace sn44::tracking

// ByteTrack behaviour on hand-built scenes, following supervision's rules: who gets an id when,
// how ids persist, when a lost object keeps its id and when it gets a new one. Where a test says
// "from supervision", its expected ids come from running supervision 0.27's ByteTrack (NumPy 1.24,
// SciPy 1.10) once on the same detections.

#include "tracking/byte_tracker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>

#include "core/error.h"

namespace sn44::tracking {
namespace {

using Ids = std::vector<int64_t>;

Detection detection(float x, float y, float score = 0.9f, int class_id = 2) {
  return {Box{x, y, x + 40, y + 80}, score, class_id};
}

Ids ids(const std::vector<TrackedObject>& objects) {
  Ids result;
  for (const TrackedObject& object : objects) result.push_back(object.track_id);
  return result;
}

// The occlusion scene: object 1 at x 100 and object 2 at x 500, both in view; the ids reported.
Ids see_both_objects(ByteTracker& tracker) { return ids(tracker.update({detection(100, 100), detection(500, 100)})); }

// Object 1 hidden for `frames` frames, object 2 still in view.
void hide_object_one(ByteTracker& tracker, int frames) {
  for (int frame = 0; frame < frames; ++frame) tracker.update({detection(500, 100)});
}

TEST(ByteTracker, TracksBornInTheFirstFrameAreReportedAtOnceWithIdsInDetectionOrder) {
  ByteTracker tracker;
  const auto objects =
      tracker.update({detection(700, 100), detection(100, 100, 0.8f, 3), detection(400, 300, 0.5f, 1)});
  EXPECT_EQ(ids(objects), (Ids{1, 2, 3}));
  // The output carries the detections themselves.
  ASSERT_EQ(objects.size(), 3u);
  EXPECT_EQ(objects[1].box, detection(100, 100).box);
  EXPECT_EQ(objects[1].class_id, 3);
  EXPECT_FLOAT_EQ(objects[1].score, 0.8f);
}

TEST(ByteTracker, ALaterTrackIsReportedFromItsSecondFrame) {
  ByteTracker tracker;
  tracker.update({detection(100, 100)});
  EXPECT_EQ(ids(tracker.update({detection(102, 100), detection(600, 300)})), (Ids{1}));
  EXPECT_EQ(ids(tracker.update({detection(104, 100), detection(602, 300)})), (Ids{1, 2}));
}

TEST(ByteTracker, IdsPersistWhileObjectsMoveAndOutputBoxesAreTheDetections) {
  ByteTracker tracker;
  for (int frame = 0; frame < 50; ++frame) {
    // Steady motion with a little jitter: the filter's boxes differ from the detections.
    const float x = 100.0f + 6.0f * static_cast<float>(frame) + ((frame % 3 == 0) ? 1.5f : -0.5f);
    const std::vector<Detection> detections = {detection(x, 100), detection(900 - x, 400, 0.6f, 1)};
    const auto objects = tracker.update(detections);
    ASSERT_EQ(ids(objects), (Ids{1, 2})) << "frame " << frame;
    for (size_t i = 0; i < objects.size(); ++i) {
      EXPECT_EQ(objects[i].box, detections[i].box) << "frame " << frame;
      EXPECT_EQ(objects[i].class_id, detections[i].class_id);
      EXPECT_EQ(objects[i].score, detections[i].score);
    }
  }
}

TEST(ByteTracker, OutputFollowsInputOrder) {
  ByteTracker tracker;
  tracker.update({detection(100, 100), detection(400, 100)});
  EXPECT_EQ(ids(tracker.update({detection(401, 100), detection(101, 100)})), (Ids{2, 1}));
}

TEST(ByteTracker, DetectionsUnderTheBirthThresholdStartNoTrackButCanContinueOne) {
  // New tracks need activation threshold + 0.1 = 0.35.
  ByteTracker tracker;
  EXPECT_TRUE(tracker.update({detection(100, 100, 0.34f)}).empty());
  EXPECT_TRUE(tracker.update({detection(100, 100, 0.34f)}).empty());
  EXPECT_TRUE(tracker.update({detection(100, 100, 0.36f)}).empty());  // born, not yet reported
  EXPECT_EQ(ids(tracker.update({detection(100, 100, 0.36f)})), (Ids{1}));
  // 0.3 is over the activation threshold: it takes part in the first association.
  EXPECT_EQ(ids(tracker.update({detection(101, 100, 0.3f)})), (Ids{1}));
}

TEST(ByteTracker, ALowScoreDetectionKeepsATrackAliveThroughTheSecondAssociation) {
  ByteTracker tracker;
  tracker.update({detection(100, 100)});
  // 0.15 is under the activation threshold but over 0.1: second association.
  const auto objects = tracker.update({detection(101, 100, 0.15f)});
  ASSERT_EQ(ids(objects), (Ids{1}));
  EXPECT_FLOAT_EQ(objects[0].score, 0.15f);
  // At 0.1 or below the detection is ignored and the track is lost.
  EXPECT_TRUE(tracker.update({detection(102, 100, 0.1f)}).empty());
  // Lost tracks are matched with confident detections only, not with weak ones.
  EXPECT_TRUE(tracker.update({detection(102, 100, 0.2f)}).empty());
  EXPECT_EQ(ids(tracker.update({detection(102, 100, 0.9f)})), (Ids{1}));
}

TEST(ByteTracker, AnObjectHiddenWithinTheBufferComesBackWithItsId) {
  ByteTracker tracker;
  see_both_objects(tracker);
  see_both_objects(tracker);
  for (int frame = 0; frame < 20; ++frame) {
    EXPECT_EQ(ids(tracker.update({detection(500, 100)})), (Ids{2}));  // object 1 occluded
  }
  EXPECT_EQ(see_both_objects(tracker), (Ids{1, 2}));
}

// Object 1 is last seen in frame 2. At frame 2 + 31 it has been lost for more than the buffer (30)
// and is marked removed, but, as in supervision, it leaves the lost list only at the end of the
// next frame, so it can still be found in frame 34. Expected ids from supervision.
TEST(ByteTracker, AnObjectBackOneFrameAfterItsBufferRanOutStillKeepsItsId) {
  ByteTracker tracker;
  see_both_objects(tracker);
  see_both_objects(tracker);
  hide_object_one(tracker, 31);
  EXPECT_EQ(see_both_objects(tracker), (Ids{1, 2}));
}

TEST(ByteTracker, AnObjectHiddenLongerThanTheBufferGetsANewId) {
  ByteTracker tracker;
  see_both_objects(tracker);
  see_both_objects(tracker);
  hide_object_one(tracker, 32);
  EXPECT_EQ(see_both_objects(tracker), (Ids{2}));
  EXPECT_EQ(see_both_objects(tracker), (Ids{3, 2}));
}

TEST(ByteTracker, TheBufferScalesWithTheFrameRate) {
  EXPECT_EQ(ByteTracker().max_time_lost(), 30);
  EXPECT_EQ(ByteTracker({.frame_rate = 60}).max_time_lost(), 60);
  EXPECT_EQ(ByteTracker({.lost_track_buffer = 10, .frame_rate = 25}).max_time_lost(), 8);  // int(8.33)

  // With a 5-frame buffer the object of the test above is gone after 5 + 2 hidden frames.
  ByteTracker tracker({.lost_track_buffer = 5});
  see_both_objects(tracker);
  see_both_objects(tracker);
  hide_object_one(tracker, 6);
  EXPECT_EQ(see_both_objects(tracker), (Ids{1, 2}));
  hide_object_one(tracker, 7);
  EXPECT_EQ(see_both_objects(tracker), (Ids{2}));
}

TEST(ByteTracker, AnUnconfirmedTrackIsRemovedAfterOneMissAndItsIdIsNotReused) {
  ByteTracker tracker;
  tracker.update({detection(100, 100)});
  tracker.update({detection(100, 100), detection(600, 300)});  // id 2 given, not yet reported
  tracker.update({detection(100, 100)});                       // the newcomer misses once: removed
  // It comes back as a new track, id 3.
  EXPECT_EQ(ids(tracker.update({detection(100, 100), detection(600, 300)})), (Ids{1}));
  EXPECT_EQ(ids(tracker.update({detection(100, 100), detection(600, 300)})), (Ids{1, 3}));
}

TEST(ByteTracker, IdsOfTracksThatDieYoungAreUsedUp) {
  ByteTracker tracker;
  tracker.update({detection(100, 100)});
  // Three one-frame newcomers take ids 2, 3 and 4.
  tracker.update({detection(100, 100), detection(300, 300), detection(500, 300), detection(700, 300)});
  tracker.update({detection(100, 100)});
  tracker.update({detection(100, 100), detection(300, 500)});
  EXPECT_EQ(ids(tracker.update({detection(100, 100), detection(300, 500)})), (Ids{1, 5}));
}

// Unmatched detections are visited in the order of a Python set difference, which is not ascending
// here: of detections 0..9 the eight known objects take all but 4 and 8, and CPython iterates
// {4, 8} as 8, 4, so detection 8 is born first. Expected ids from supervision.
TEST(ByteTracker, NewTracksTakeIdsInTheReferencesSetOrder) {
  std::vector<Detection> known;
  for (int i = 0; i < 8; ++i) known.push_back(detection(100.0f * static_cast<float>(i), 100));
  std::vector<Detection> frame = known;
  frame.insert(frame.begin() + 7, detection(600, 500));
  frame.insert(frame.begin() + 4, detection(100, 500));  // now at index 4, the other at index 8
  ByteTracker tracker;
  EXPECT_EQ(ids(tracker.update(known)), (Ids{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(ids(tracker.update(frame)), (Ids{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(ids(tracker.update(frame)), (Ids{1, 2, 3, 4, 10, 5, 6, 7, 9, 8}));
}

// A lost track whose prediction drifts onto a younger tracked one: the younger is dropped as a
// duplicate, and the next frame the old track takes the detection back. Object A moves right for
// 10 frames then vanishes; its prediction keeps moving onto B, which appears at frame 14. Expected
// ids from supervision.
TEST(ByteTracker, OfATrackedAndALostDuplicateTheYoungerIsDropped) {
  ByteTracker tracker;
  for (int frame = 1; frame <= 30; ++frame) {
    std::vector<Detection> detections;
    if (frame <= 10) detections.push_back(detection(100.0f + 10.0f * static_cast<float>(frame - 1), 100));
    if (frame >= 14) detections.push_back(detection(300, 100));
    const Ids expected = frame <= 10 ? Ids{1} : frame <= 14 ? Ids{} : frame <= 21 ? Ids{2} : frame == 22 ? Ids{} : Ids{1};
    EXPECT_EQ(ids(tracker.update(detections)), expected) << "frame " << frame;
  }
}

// With minimum_consecutive_frames 2 a track is reported (and takes its id) on its second match;
// a track found again after being lost keeps its id. Expected ids from supervision.
TEST(ByteTracker, MinimumConsecutiveFramesDelaysReporting) {
  ByteTracker tracker({.minimum_consecutive_frames = 2});
  const Detection a = detection(100, 100), b = detection(400, 100);
  const std::vector<std::vector<Detection>> frames = {{a}, {a, b}, {a, b}, {a, b}, {b}, {a, b}, {a, b}};
  const std::vector<Ids> expected = {{}, {}, {1}, {1, 2}, {2}, {1, 2}, {1, 2}};
  for (size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(ids(tracker.update(frames[i])), expected[i]) << "frame " << i + 1;
}

TEST(ByteTracker, ABoxWithoutHeightUsesUpAnIdButIsNeverReported) {
  // Its aspect ratio is not finite: supervision starts a track whose box is NaN, overlapping
  // nothing. Expected ids from supervision.
  ByteTracker tracker;
  const Detection flat{Box{10, 10, 50, 10}, 0.9f, 0};
  EXPECT_EQ(ids(tracker.update({flat, detection(100, 100)})), (Ids{2}));
  EXPECT_EQ(ids(tracker.update({flat, detection(100, 100)})), (Ids{2}));  // id 3 for the flat box
  tracker.update({detection(100, 100), detection(300, 100)});
  EXPECT_EQ(ids(tracker.update({detection(100, 100), detection(300, 100)})), (Ids{2, 4}));
}

TEST(ByteTracker, EmptyFramesReportNothingAndTracksSurviveThem) {
  ByteTracker tracker;
  EXPECT_TRUE(tracker.update({}).empty());
  EXPECT_TRUE(tracker.update({}).empty());
  // Born in frame 3: not the first frame, so reported from its second match.
  EXPECT_TRUE(tracker.update({detection(100, 100)}).empty());
  EXPECT_EQ(ids(tracker.update({detection(100, 100)})), (Ids{1}));
  for (int frame = 0; frame < 5; ++frame) EXPECT_TRUE(tracker.update({}).empty());
  EXPECT_EQ(ids(tracker.update({detection(100, 100)})), (Ids{1}));
}

// A deterministic busy scene: 14 objects bouncing in a 640x360 frame, crossing each other, missed
// now and then, with weak and spurious detections. Raw mt19937 outputs only (specified by the
// standard), so the scene is the same with every standard library.
std::vector<std::vector<Detection>> busy_scene() {
  std::mt19937 random(2024);
  const auto uniform = [&](float low, float high) {
    return low + (high - low) * static_cast<float>(random() % 10000) / 10000.0f;
  };
  constexpr int kObjects = 14, kFrames = 90;
  constexpr float kWidth = 640, kHeight = 360;
  struct Object {
    float x, y, vx, vy, w, h;
  };
  std::vector<Object> objects;
  for (int i = 0; i < kObjects; ++i) {
    objects.push_back({uniform(0, kWidth), uniform(0, kHeight), uniform(-6, 6), uniform(-4, 4), uniform(16, 40),
                       uniform(36, 90)});
  }
  std::vector<std::vector<Detection>> frames;
  for (int f = 0; f < kFrames; ++f) {
    std::vector<Detection> detections;
    for (Object& o : objects) {
      o.x += o.vx;
      o.y += o.vy;
      if (o.x < 0 || o.x > kWidth) o.vx = -o.vx;
      if (o.y < 0 || o.y > kHeight) o.vy = -o.vy;
      if (random() % 100 < 6) continue;  // missed
      const float jitter_x = uniform(-1.5f, 1.5f), jitter_y = uniform(-1.5f, 1.5f);
      const unsigned kind = random() % 10;
      const float score = kind < 7 ? uniform(0.5f, 0.95f) : kind < 9 ? uniform(0.26f, 0.5f) : uniform(0.11f, 0.24f);
      const float x1 = o.x - o.w / 2 + jitter_x, y1 = o.y - o.h / 2 + jitter_y;
      detections.push_back({Box{x1, y1, x1 + o.w, y1 + o.h}, score, static_cast<int>(random() % 4)});
    }
    if (random() % 3 == 0) {  // a spurious detection
      const float x1 = uniform(0, kWidth), y1 = uniform(0, kHeight);
      detections.push_back({Box{x1, y1, x1 + uniform(15, 45), y1 + uniform(30, 80)}, uniform(0.05f, 0.6f), 0});
    }
    frames.push_back(std::move(detections));
  }
  return frames;
}

// "index:id" for each output object, naming the detection it is (outputs follow input order).
std::string describe(const std::vector<Detection>& detections, const std::vector<TrackedObject>& objects) {
  std::string text;
  size_t next = 0;
  for (const TrackedObject& object : objects) {
    while (next < detections.size() &&
           !(detections[next].box == object.box && detections[next].score == object.score)) {
      ++next;
    }
    if (!text.empty()) text += ' ';
    text += std::to_string(next) + ':' + std::to_string(object.track_id);
    ++next;
  }
  return text;
}

// The busy scene written out as float32 and run once through supervision 0.27's ByteTrack: which
// detection got which id, frame by frame. Births, losses, second associations, spurious tracks
// and the set-order of new ids all show up here.
TEST(ByteTracker, BusySceneGivesTheReferencesIdsFrameByFrame) {
  const std::vector<std::string> expected = {
      "0:1 1:2 2:3 3:4 4:5 5:6 6:7 9:8 10:9 12:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 7:7 10:8 11:9 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:8 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:8 12:14 13:10",
      "0:1 1:2 2:4 3:5 4:6 5:13 6:7 7:11 8:12 9:8 10:14 11:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:8 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:8 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:8 11:17 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:12 8:8 9:17 10:14 11:10",
      "0:2 1:3 2:4 3:5 4:6 5:13 6:7 8:12 9:8 10:14 11:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:8 12:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:11 8:12 9:8 10:19 11:14 12:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:8 11:19 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:13 6:11 7:12 8:8 9:19 10:14 11:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 8:11 9:12 10:8 11:19 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:11 8:12 9:8 10:19 11:14 12:10",
      "0:1 2:3 3:4 4:5 5:6 6:13 7:11 8:12 10:19 11:14 12:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 10:19 11:14 12:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:19 11:14 12:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:21 10:14 11:10",
      "0:1 1:2 2:3 3:4 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:2 1:3 2:4 4:6 5:7 6:11 7:12 8:21 9:19 11:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:7 7:11 8:12 9:21 10:19 11:14",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:10",
      "0:2 1:3 2:4 3:6 4:13 5:7 6:11 7:12 8:21 9:19 10:14 11:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:12 9:21 10:14 11:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:21 10:19 11:14 12:10",
      "0:1 1:2 2:3 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:3 2:4 3:5 4:13 5:7 6:12 7:21 8:19 9:14 10:10",
      "0:1 1:2 2:4 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:2 1:3 2:4 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:2 1:3 2:4 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:6 5:7 6:11 7:12 8:21 9:19 10:14 11:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:2 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 2:3 3:4 4:6 5:7 6:11 7:12 8:21 9:19 10:14 11:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:6 5:13 6:7 7:11 8:21 9:19 10:14 11:10",
      "0:1 1:25 2:3 3:4 4:5 5:7 6:11 7:12 8:21 9:19 10:14 11:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:19 11:14 12:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:7 7:12 8:21 9:19 10:14",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:3 2:4 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:12 9:21 10:19 11:14 12:10",
      "0:25 1:3 2:4 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:10",
      "0:1 1:25 2:3 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:3 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:19 11:14 12:10",
      "0:1 1:25 3:4 4:5 5:6 6:13 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:32 3:4 4:5 5:6 6:13 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:32 3:4 4:5 5:6 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:32 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:32 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:32 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:32 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:14 12:10",
      "0:25 1:32 2:4 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "1:25 2:32 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:32 3:4 4:5 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:32 3:4 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:32 3:4 4:5 5:6 6:13 7:7 8:11 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:32 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:1 1:25 2:32 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:32 3:4 4:5 5:6 6:13 7:7 8:11 9:12 10:21 11:19 12:14 13:10",
      "0:1 1:25 2:32 3:4 4:6 5:13 6:7 7:11 8:12 9:21 10:19 11:14",
      "0:1 1:25 2:32 3:4 4:5 5:6 6:7 7:11 8:12 9:21 10:19 11:14 12:10",
      "0:25 1:32 2:4 3:5 4:6 5:13 6:7 7:11 8:12 9:21 10:14 11:10",
  };
  const auto frames = busy_scene();
  ASSERT_EQ(frames.size(), expected.size());
  ByteTracker tracker;
  for (size_t f = 0; f < frames.size(); ++f) EXPECT_EQ(describe(frames[f], tracker.update(frames[f])), expected[f]) << "frame " << f + 1;
}

TEST(ByteTracker, SameInputSameOutput) {
  // A busy scene with crossings, weak detections and gaps, fed twice: to two trackers, and again
  // to the first after reset().
  std::vector<std::vector<Detection>> frames;
  for (int f = 0; f < 120; ++f) {
    std::vector<Detection> detections;
    for (int i = 0; i < 25; ++i) {
      if ((f + 3 * i) % 17 == 0) continue;  // missed now and then
      const float t = static_cast<float>(f), k = static_cast<float>(i);
      const float x = 50 + 60 * k + 4 * t * ((i % 2 == 0) ? 1.0f : -1.0f);
      const float y = 100 + 30 * k + 20 * std::sin(0.1f * t + k);
      const float score = 0.05f + 0.9f * static_cast<float>((f * 7 + i * 13) % 10) / 10.0f;
      detections.push_back(detection(x, y, score, i % 4));
    }
    frames.push_back(detections);
  }
  ByteTracker first, second;
  std::vector<std::vector<TrackedObject>> outputs;
  size_t reported = 0;
  for (const auto& detections : frames) {
    outputs.push_back(first.update(detections));
    reported += outputs.back().size();
    const auto again = second.update(detections);
    ASSERT_EQ(ids(again), ids(outputs.back()));
  }
  EXPECT_GT(reported, 1000u);  // the scene does exercise the tracker
  first.reset();
  for (size_t f = 0; f < frames.size(); ++f) ASSERT_EQ(ids(first.update(frames[f])), ids(outputs[f])) << "frame " << f;
}

TEST(ByteTracker, OddBoxesAreHandledWithoutFailing) {
  // Negative and zero sizes, scores outside [0, 1], repeated boxes: whatever comes out is a subset of
  // the frame's detections, in order, with distinct positive ids.
  std::mt19937 random(5);
  const float sizes[] = {40, 40, -40, 0, 20};
  const float scores[] = {1.5f, 0.9f, 0.5f, 0.3f, 0.2f, -0.5f};
  ByteTracker tracker;
  size_t reported = 0;
  for (int frame = 0; frame < 300; ++frame) {
    std::vector<Detection> detections;
    const size_t count = random() % 10;
    for (size_t i = 0; i < count; ++i) {
      const auto x = static_cast<float>(random() % 6 * 30), y = static_cast<float>(random() % 4 * 50);
      detections.push_back({Box{x, y, x + sizes[random() % 5], y + 2 * sizes[random() % 5]}, scores[random() % 6], 0});
    }
    const auto objects = tracker.update(detections);
    reported += objects.size();
    std::set<int64_t> seen;
    size_t next = 0;
    for (const TrackedObject& object : objects) {
      EXPECT_GE(object.track_id, 1);
      EXPECT_TRUE(seen.insert(object.track_id).second) << "id " << object.track_id << " twice in frame " << frame;
      while (next < detections.size() &&
             !(detections[next].box == object.box && detections[next].score == object.score)) {
        ++next;
      }
      ASSERT_LT(next, detections.size()) << "an output that is not one of the frame's detections, in order";
      ++next;
    }
  }
  EXPECT_GT(reported, 20u);  // the stream does produce tracks
}

TEST(ByteTracker, ResetStartsIdsAgain) {
  ByteTracker tracker;
  tracker.update({detection(100, 100), detection(400, 100)});
  tracker.update({detection(100, 100), detection(400, 100)});
  tracker.reset();
  // A new clip: frame 1 again, so the track is reported at once, with id 1.
  EXPECT_EQ(ids(tracker.update({detection(700, 300)})), (Ids{1}));
}

TEST(ByteTracker, RejectsNonFiniteOrHugeDetections) {
  ByteTracker tracker;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(tracker.update({detection(100, 100), {Box{nan, 0, 10, 10}, 0.9f, 0}}), Error);
  EXPECT_THROW(tracker.update({{Box{0, 0, std::numeric_limits<float>::infinity(), 10}, 0.9f, 0}}), Error);
  EXPECT_THROW(tracker.update({{Box{0, 0, 10, 2e6f}, 0.9f, 0}}), Error);
  EXPECT_THROW(tracker.update({detection(100, 100, nan)}), Error);
  try {
    tracker.update({detection(1, 1), {Box{0, 0, 10, nan}, 0.9f, 0}});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
    EXPECT_NE(std::string(error.what()).find("detection 1"), std::string::npos) << error.what();
  }
}

TEST(ByteTracker, RejectsSettingsThatMakeNoSense) {
  EXPECT_THROW(ByteTracker({.frame_rate = 0}), Error);
  EXPECT_THROW(ByteTracker({.frame_rate = std::nan("")}), Error);
  EXPECT_THROW(ByteTracker({.lost_track_buffer = -1}), Error);
  EXPECT_THROW(ByteTracker({.minimum_consecutive_frames = 0}), Error);
  EXPECT_THROW(ByteTracker({.track_activation_threshold = std::nan("")}), Error);
  EXPECT_THROW(ByteTracker({.lost_track_buffer = 2'000'000'000, .frame_rate = 60}), Error);
}

}  // namespace
}  // namespace sn44::tracking

#include "video/frame_reader.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include "core/error.h"
#include "support/expect_error.h"
#include "support/temp_dir.h"
#include "support/test_data.h"
#include "support/synthetic_video.h"

namespace sn44::video {
namespace {

TEST(FrameReader, DeliversTheDecodersFramesInOrder) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 40, 64, 48);
  Decoder decoder(dir / "clip.mp4");
  FrameReader reader(dir / "clip.mp4", {}, 3);  // a queue smaller than the clip: the decoder must wait
  EXPECT_EQ(reader.info().width, 64);
  int64_t count = 0;
  while (auto frame = reader.next()) {
    auto expected = decoder.next();
    ASSERT_TRUE(expected.has_value());
    EXPECT_EQ(frame->index, expected->index);
    EXPECT_EQ(cv::norm(frame->bgr, expected->bgr, cv::NORM_INF), 0.0);
    ++count;
  }
  EXPECT_EQ(count, 40);
  EXPECT_FALSE(decoder.next().has_value());
  EXPECT_FALSE(reader.next().has_value());
  EXPECT_GT(reader.decode_seconds(), 0.0);
}

TEST(FrameReader, StopsCleanlyWhenDestroyedWithFramesPending) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 40, 64, 48);
  FrameReader reader(dir / "clip.mp4", {}, 2);
  ASSERT_TRUE(reader.next().has_value());
  // Leaving scope joins the decode thread, which is blocked on the full queue.
}

TEST(FrameReader, OpenErrorsAreThrownByTheConstructor) {
  EXPECT_EQ(testing::expect_error([] { FrameReader("/nonexistent.mp4", {}, 4); }).kind(), ErrorKind::not_found);
}

TEST(FrameReader, DecodeErrorsArriveAfterTheFramesBeforeThem) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 40, 64, 48);
  FrameReader reader(dir / "clip.mp4", {.max_frames = 30}, 8);
  int64_t frames = 0;
  const Error error = testing::expect_error([&] {
    while (reader.next()) ++frames;
  });
  EXPECT_EQ(error.kind(), ErrorKind::too_large);
  EXPECT_EQ(frames, 30);
}

TEST(FrameReader, SaysWhyADamagedClipEndedEarly) {
  SN44_REQUIRE_SHARED_FILE(clip, "videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4");
  testing::TempDir dir;
  testing::write_truncated_copy(clip, dir / "cut.mp4", 1'500'000);
  FrameReader reader(dir / "cut.mp4", {}, 8);
  int64_t frames = 0;
  while (reader.next()) ++frames;
  EXPECT_GT(frames, 100);
  EXPECT_NE(reader.damage().find("partial file"), std::string::npos) << reader.damage();
}

}  // namespace
}  // namespace sn44::video

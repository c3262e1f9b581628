#include "video/decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include "core/error.h"
#include "support/expect_error.h"
#include "support/temp_dir.h"
#include "support/test_data.h"
#include "support/synthetic_video.h"

namespace sn44::video {
namespace {

using ::testing::HasSubstr;
using testing::expect_error;

int64_t count_frames(const std::filesystem::path& path) {
  Decoder decoder(path);
  int64_t frames = 0;
  while (decoder.next()) ++frames;
  return frames;
}

TEST(Decoder, DecodesEveryFrameOfASyntheticVideoWithItsColours) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 30, 64, 48);

  Decoder decoder(dir / "clip.mp4");
  EXPECT_EQ(decoder.info().width, 64);
  EXPECT_EQ(decoder.info().height, 48);
  EXPECT_NEAR(decoder.info().fps, 25.0, 1e-6);
  int index = 0;
  while (auto frame = decoder.next()) {
    ASSERT_EQ(frame->index, index);
    ASSERT_EQ(frame->bgr.type(), CV_8UC3);
    ASSERT_TRUE(frame->bgr.isContinuous());
    const cv::Scalar mean = cv::mean(frame->bgr);
    const cv::Scalar expected = testing::synthetic_frame_colour(index);
    for (int channel = 0; channel < 3; ++channel) {
      EXPECT_NEAR(mean[channel], expected[channel], 6.0) << "frame " << index << " channel " << channel;
    }
    ++index;
  }
  EXPECT_EQ(index, 30);
  EXPECT_FALSE(decoder.next().has_value()) << "end of stream is sticky";
}

TEST(Decoder, AVideoWithoutFramesIsRefused) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "empty.mp4", 0, 64, 48);
  const Error error = expect_error([&] { Decoder(dir / "empty.mp4"); });
  EXPECT_EQ(error.kind(), ErrorKind::unsupported);
  EXPECT_THAT(error.what(), HasSubstr("no video stream with frames"));
}

TEST(Decoder, CountsFramesByDecodingNotFromTheHeader) {
  // Trimmed clips over-state their frame count in the container header.
  const std::pair<const char*, int64_t> clips[] = {
      {"videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4", 817},
      {"videos/dfl_bundesliga_08fd33_4_848x478_25fps_7s.mp4", 169},
      {"videos/tactical_cam_static_1280x720_29.97fps_28s.mp4", 840},
      {"videos/seriea_inter_broadcast_848x478_60fps_13s.mp4", 794},
      {"videos/epl_liverpool_broadcast_1280x574_25fps_15s_1cut.mp4", 369},
  };
  for (const auto& [name, frames] : clips) {
    SN44_REQUIRE_SHARED_FILE(clip, name);
    EXPECT_EQ(count_frames(clip), frames) << name;
  }
  SN44_REQUIRE_SHARED_FILE(serie_a, "videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4");
  EXPECT_EQ(Decoder(serie_a).info().header_frame_count, 825);
}

TEST(Decoder, FramesArePixelIdenticalToOpenCvVideoCapture) {
  // The reference miner reads frames with cv2.VideoCapture; the same pixels give the same detections.
  SN44_REQUIRE_SHARED_FILE(clip, "videos/epl_liverpool_broadcast_1280x574_25fps_15s_1cut.mp4");
  Decoder decoder(clip);
  cv::VideoCapture capture(clip.string(), cv::CAP_FFMPEG);
  ASSERT_TRUE(capture.isOpened());
  cv::Mat expected;
  for (int i = 0; i < 12; ++i) {
    auto frame = decoder.next();
    ASSERT_TRUE(frame.has_value());
    ASSERT_TRUE(capture.read(expected));
    ASSERT_EQ(frame->bgr.size(), expected.size());
    EXPECT_EQ(cv::norm(frame->bgr, expected, cv::NORM_INF), 0.0) << "frame " << i;
  }
}

TEST(Decoder, MissingFileIsNotFound) {
  const Error error = expect_error([] { Decoder("/nonexistent/clip.mp4"); });
  EXPECT_EQ(error.kind(), ErrorKind::not_found);
  EXPECT_THAT(error.what(), HasSubstr("/nonexistent/clip.mp4"));
}

TEST(Decoder, FolderIsRejected) {
  testing::TempDir dir;
  EXPECT_EQ(expect_error([&] { Decoder(dir.path()); }).kind(), ErrorKind::invalid_argument);
}

TEST(Decoder, NonVideoAndEmptyFilesAreCorrupt) {
  testing::TempDir dir;
  std::ofstream(dir / "notes.mp4") << "this is not a video\n";
  std::ofstream(dir / "empty.mp4");
  for (const char* name : {"notes.mp4", "empty.mp4"}) {
    const Error error = expect_error([&] { Decoder(dir / name); });
    EXPECT_EQ(error.kind(), ErrorKind::corrupt_data) << name;
    EXPECT_THAT(error.what(), HasSubstr("cannot open as a video container")) << name;
  }
}

TEST(Decoder, TruncatedFileWithIndexFirstFailsAfterTheFramesItHas) {
  SN44_REQUIRE_SHARED_FILE(clip, "videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4");
  testing::TempDir dir;
  testing::write_truncated_copy(clip, dir / "cut.mp4", 1'500'000);
  Decoder decoder(dir / "cut.mp4");
  int64_t frames = 0;
  const Error error = expect_error([&] {
    while (decoder.next()) ++frames;
  });
  EXPECT_EQ(error.kind(), ErrorKind::corrupt_data);
  EXPECT_THAT(error.what(), HasSubstr("partial file"));
  EXPECT_GT(frames, 100);
  EXPECT_LT(frames, 817);
}

TEST(Decoder, TruncatedFileWithIndexLastCannotBeOpened) {
  SN44_REQUIRE_SHARED_FILE(clip, "videos/tactical_cam_static_1280x720_29.97fps_28s.mp4");
  testing::TempDir dir;
  testing::write_truncated_copy(clip, dir / "cut.mp4", 1'900'000);
  const Error error = expect_error([&] { Decoder(dir / "cut.mp4"); });
  EXPECT_EQ(error.kind(), ErrorKind::corrupt_data);
  EXPECT_THAT(error.what(), HasSubstr("moov atom not found"));
}

TEST(Decoder, FramesOverTheSizeLimitAreRefused) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 2, 64, 48);
  DecoderOptions options;
  options.max_width = 32;
  const Error error = expect_error([&] { Decoder(dir / "clip.mp4", options); });
  EXPECT_EQ(error.kind(), ErrorKind::unsupported);
  EXPECT_THAT(error.what(), HasSubstr("64x48"));
}

TEST(Decoder, MoreFramesThanTheLimitIsAnError) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 10, 64, 48);
  DecoderOptions options;
  options.max_frames = 4;
  Decoder decoder(dir / "clip.mp4", options);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(decoder.next().has_value());
  EXPECT_EQ(expect_error([&] { decoder.next(); }).kind(), ErrorKind::too_large);
}

}  // namespace
}  // namespace sn44::video

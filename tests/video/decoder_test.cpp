#include "video/decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <vector>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include "core/error.h"
#include "support/expect_error.h"
#include "support/temp_dir.h"
#include "support/test_data.h"
#include "support/synthetic_video.h"
#include "video/encoder.h"

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

TEST(Decoder, ReadsTheFirstVideoStreamAsOpenCvVideoCaptureDoes) {
  // FFmpeg's "best" stream here is the second, the file's default track; VideoCapture, and so
  // the reference miner and the validator, read the first.
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "first.mp4", 3, 32, 24);
  testing::write_synthetic_video(dir / "second.mp4", 30, 64, 48);
  testing::write_muxed({dir / "first.mp4", dir / "second.mp4"}, dir / "two_streams.mp4", 1);

  Decoder decoder(dir / "two_streams.mp4");
  cv::VideoCapture capture((dir / "two_streams.mp4").string(), cv::CAP_FFMPEG);
  ASSERT_TRUE(capture.isOpened());
  EXPECT_EQ(decoder.info().width, 32);
  EXPECT_EQ(decoder.info().height, 24);
  int frames = 0;
  cv::Mat expected;
  for (; auto frame = decoder.next(); ++frames) {
    ASSERT_TRUE(capture.read(expected)) << "frame " << frames;
    EXPECT_EQ(frame->bgr.size(), cv::Size(32, 24));
    EXPECT_EQ(cv::norm(frame->bgr, expected, cv::NORM_INF), 0.0) << "frame " << frames;
  }
  EXPECT_EQ(frames, 3);
  EXPECT_FALSE(capture.read(expected));
}

// Where the bright corner block of a frame is: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left.
int bright_corner(const cv::Mat& bgr) {
  const int half_width = bgr.cols / 2;
  const int half_height = bgr.rows / 2;
  const cv::Rect corners[] = {{0, 0, half_width, half_height},
                              {half_width, 0, half_width, half_height},
                              {half_width, half_height, half_width, half_height},
                              {0, half_height, half_width, half_height}};
  int brightest = 0;
  double best = -1;
  for (int corner = 0; corner < 4; ++corner) {
    const double level = cv::mean(bgr(corners[corner]))[0];
    if (level > best) best = level, brightest = corner;
  }
  return brightest;
}

TEST(Decoder, TurnsFramesUprightByTheDisplayMatrix) {
  // Phone clips carry a display matrix. VideoCapture turns such frames upright (quarter turns
  // only; by default again from OpenCV 4.12, and in the right direction since 4.7), and the
  // validator's crops and lines are in the turned frame's coordinates. Debian's OpenCV 4.6 turns
  // them the wrong way, so the oracle here is the upright clip and where its corner block lands.
  testing::TempDir dir;
  {
    video::Encoder encoder(dir / "upright.mp4", 64, 48, 25.0);
    cv::Mat frame(48, 64, CV_8UC3, cv::Scalar::all(20));
    frame(cv::Rect(0, 0, 24, 16)).setTo(cv::Scalar::all(230));  // top-left
    for (int i = 0; i < 3; ++i) encoder.write(frame);
    encoder.finish();
  }
  std::vector<cv::Mat> upright;
  for (Decoder decoder(dir / "upright.mp4"); auto frame = decoder.next();) upright.push_back(frame->bgr);
  ASSERT_EQ(upright.size(), 3U);
  ASSERT_EQ(bright_corner(upright[0]), 0);

  struct Case {
    double display_turn;  // clockwise, as the display matrix says
    int turn;             // clockwise, as the decoder applies it
    int corner;           // where the top-left block ends up
  };
  for (const Case& c : {Case{90, 90, 1}, Case{-90, 270, 3}, Case{270, 270, 3}, Case{180, 180, 2}, Case{45, 0, 0}}) {
    SCOPED_TRACE("display matrix turning " + std::to_string(c.display_turn) + " degrees clockwise");
    const auto clip = dir / "turned.mp4";
    testing::write_rotated_copy(dir / "upright.mp4", clip, c.display_turn);
    Decoder decoder(clip);
    EXPECT_EQ(decoder.info().rotation_degrees, c.turn);
    const bool quarter_turn = c.turn % 180 != 0;
    EXPECT_EQ(decoder.info().width, quarter_turn ? 48 : 64);
    EXPECT_EQ(decoder.info().height, quarter_turn ? 64 : 48);
    size_t frames = 0;
    for (; auto frame = decoder.next(); ++frames) {
      ASSERT_LT(frames, upright.size());
      ASSERT_TRUE(frame->bgr.isContinuous());
      EXPECT_EQ(bright_corner(frame->bgr), c.corner);
      cv::Mat expected;  // a new buffer: cv::rotate would turn a shared one in place
      if (c.turn == 0) expected = upright[frames];
      if (c.turn == 90) cv::rotate(upright[frames], expected, cv::ROTATE_90_CLOCKWISE);
      if (c.turn == 180) cv::rotate(upright[frames], expected, cv::ROTATE_180);
      if (c.turn == 270) cv::rotate(upright[frames], expected, cv::ROTATE_90_COUNTERCLOCKWISE);
      ASSERT_EQ(frame->bgr.size(), expected.size());
      EXPECT_EQ(cv::norm(frame->bgr, expected, cv::NORM_INF), 0.0) << "frame " << frames;
    }
    EXPECT_EQ(frames, upright.size());
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

int64_t count_video_capture_frames(const std::filesystem::path& path) {
  cv::VideoCapture capture(path.string(), cv::CAP_FFMPEG);
  int64_t frames = 0;
  for (cv::Mat frame; capture.read(frame);) ++frames;
  return frames;
}

// A damaged clip ends where VideoCapture's reading ends, so the result has every frame the
// reference miner's has, and the decoder says why.
void expect_ends_with_video_capture(const std::filesystem::path& clip, const std::string& cause) {
  Decoder decoder(clip);
  int64_t frames = 0;
  while (decoder.next()) ++frames;
  EXPECT_EQ(frames, count_video_capture_frames(clip));
  EXPECT_GT(frames, 50);
  EXPECT_LT(frames, 817);
  EXPECT_THAT(decoder.damage(), HasSubstr(cause));
  EXPECT_THAT(decoder.damage(), HasSubstr("frame " + std::to_string(frames)));
  EXPECT_FALSE(decoder.next().has_value()) << "end of stream is sticky";
}

TEST(Decoder, TruncatedFileWithIndexFirstEndsAfterTheFramesItHas) {
  SN44_REQUIRE_SHARED_FILE(clip, "videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4");
  testing::TempDir dir;
  testing::write_truncated_copy(clip, dir / "cut.mp4", 1'500'000);
  expect_ends_with_video_capture(dir / "cut.mp4", "partial file");
}

TEST(Decoder, DamagedMediaDataEndsTheStreamThere) {
  SN44_REQUIRE_SHARED_FILE(clip, "videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4");
  testing::TempDir dir;
  testing::write_damaged_copy(clip, dir / "damaged.mp4", 1'500'000, 20'000);
  expect_ends_with_video_capture(dir / "damaged.mp4", "video '");
}

TEST(Decoder, AnUndamagedClipHasNoDamage) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "clip.mp4", 5, 64, 48);
  Decoder decoder(dir / "clip.mp4");
  while (decoder.next()) {
  }
  EXPECT_EQ(decoder.damage(), "");
}

TEST(Decoder, DamageBeforeTheFirstFrameIsAnError) {
  // Nothing decoded: nothing to answer with. The clip's media data starts at byte 57,152, and its
  // first frame is longer than what is left of it here.
  SN44_REQUIRE_SHARED_FILE(clip, "videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4");
  testing::TempDir dir;
  testing::write_truncated_copy(clip, dir / "cut.mp4", 60'000);
  Decoder decoder(dir / "cut.mp4");
  const Error error = expect_error([&] {
    while (decoder.next()) {
    }
  });
  EXPECT_EQ(error.kind(), ErrorKind::corrupt_data);
  EXPECT_THAT(error.what(), HasSubstr("frame 0"));
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

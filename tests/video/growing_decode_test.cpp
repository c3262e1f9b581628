// Decoding a video while it downloads: the same frames as from the whole file, the first of them
// before the download ends when the index comes first (with or without an announced size), a
// failed download reported with its own error, and readers that give up on a download that stalls.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <opencv2/core.hpp>
#include <vector>

#include "core/error.h"
#include "support/expect_error.h"
#include "support/growing_copy.h"
#include "support/synthetic_video.h"
#include "support/temp_dir.h"
#include "support/test_data.h"
#include "video/decoder.h"
#include "video/frame_reader.h"

namespace sn44::video {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::expect_error;
using testing::GrowingCopy;

constexpr const char* kIndexFirstClip = "videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4";  // 817 frames

// A fingerprint per frame: the sum of each colour plane.
std::vector<cv::Scalar> frame_sums(Decoder& decoder) {
  std::vector<cv::Scalar> sums;
  while (const std::optional<Frame> frame = decoder.next()) sums.push_back(cv::sum(frame->bgr));
  return sums;
}

// Decodes `clip` while a copy of it arrives at `pace`: the same frames as from the whole file, the
// first of them before the copy is complete.
void expect_decoded_as_it_arrives(const std::filesystem::path& clip, GrowingCopy::Pace pace) {
  Decoder whole(clip);
  const std::vector<cv::Scalar> expected = frame_sums(whole);
  ASSERT_GT(expected.size(), 100u);

  testing::TempDir dir;
  GrowingFile file(dir / "clip.mp4");
  const GrowingCopy copy(clip, file, pace);
  Decoder decoder(file);
  std::optional<Frame> first = decoder.next();
  ASSERT_TRUE(first);
  EXPECT_FALSE(file.is_complete()) << "the first frame should not wait for the whole download";
  std::vector<cv::Scalar> sums = {cv::sum(first->bgr)};
  for (const cv::Scalar& sum : frame_sums(decoder)) sums.push_back(sum);
  EXPECT_TRUE(file.is_complete());
  ASSERT_EQ(sums.size(), expected.size());
  for (size_t i = 0; i < sums.size(); ++i) ASSERT_EQ(sums[i], expected[i]) << "frame " << i;
}

TEST(GrowingDecode, AClipWithItsIndexFirstDecodesAsItArrivesToTheSameFrames) {
  SN44_REQUIRE_SHARED_FILE(clip, kIndexFirstClip);
  // About 2.9 MB in 45 pieces of 64 KiB, 20 ms apart: the download takes about 0.9 s.
  expect_decoded_as_it_arrives(clip, {.chunk_bytes = 64 * 1024, .interval = 20ms});
}

// A server that sends no Content-Length (chunked): the file is read as a stream. The second clip
// has a vendor box ("beam") before its index.
TEST(GrowingDecode, WithoutAnAnnouncedSizeAClipWithItsIndexFirstStillDecodesAsItArrives) {
  SN44_REQUIRE_SHARED_FILE(clip, kIndexFirstClip);
  expect_decoded_as_it_arrives(clip, {.chunk_bytes = 64 * 1024, .interval = 20ms, .announce_size = false});
  SN44_REQUIRE_SHARED_FILE(vendor_box_clip, "videos/dfl_bundesliga_08fd33_4_848x478_25fps_7s.mp4");
  expect_decoded_as_it_arrives(vendor_box_clip, {.chunk_bytes = 32 * 1024, .interval = 10ms, .announce_size = false});
}

TEST(GrowingDecode, ADownloadedClipThatIsTruncatedEndsAndSaysSoAsTheFileDoes) {
  // A whole download of a cut file: the frames the file on disk gives, and the same damage.
  SN44_REQUIRE_SHARED_FILE(clip, kIndexFirstClip);
  testing::TempDir dir;
  testing::write_truncated_copy(clip, dir / "cut.mp4", 1'500'000);  // in a video frame
  Decoder whole(dir / "cut.mp4");
  const std::vector<cv::Scalar> expected = frame_sums(whole);
  ASSERT_THAT(whole.damage(), HasSubstr("partial file"));

  GrowingFile file(dir / "download.mp4");
  const GrowingCopy copy(dir / "cut.mp4", file, {.chunk_bytes = 64 * 1024, .interval = 1ms});
  Decoder decoder(file);
  EXPECT_EQ(frame_sums(decoder), expected);
  EXPECT_THAT(decoder.damage(), HasSubstr("partial file"));
}

TEST(GrowingDecode, AClipWithItsIndexLastIsDecodedOnceItIsWhole) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "source.mp4", 40, 64, 48);  // the encoder writes the index last
  GrowingFile file(dir / "clip.mp4");
  const GrowingCopy copy(dir / "source.mp4", file, {.chunk_bytes = 512, .interval = 2ms});
  Decoder decoder(file);
  int index = 0;
  while (const std::optional<Frame> frame = decoder.next()) {
    if (index == 0) {
      EXPECT_EQ(file.wait_for(0), static_cast<int64_t>(std::filesystem::file_size(dir / "source.mp4")))
          << "frames cannot come before the index, which is the last part of the file";
    }
    const cv::Scalar mean = cv::mean(frame->bgr);
    const cv::Scalar expected = testing::synthetic_frame_colour(index);
    for (int channel = 0; channel < 3; ++channel) ASSERT_NEAR(mean[channel], expected[channel], 6.0) << "frame " << index;
    ++index;
  }
  EXPECT_EQ(index, 40);
}

// With the index last there is nothing to stream: decoding waits for the whole file, size or not.
TEST(GrowingDecode, WithoutAnAnnouncedSizeAClipWithItsIndexLastIsDecodedOnceItIsWhole) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "source.mp4", 40, 64, 48);
  GrowingFile file(dir / "clip.mp4");
  const GrowingCopy copy(dir / "source.mp4", file, {.chunk_bytes = 512, .interval = 2ms, .announce_size = false});
  Decoder decoder(file);
  int frames = 0;
  while (const std::optional<Frame> frame = decoder.next()) {
    if (frames++ == 0) {
      EXPECT_TRUE(file.is_complete());
    }
  }
  EXPECT_EQ(frames, 40);
}

// The first 1.5 MB of the index-first clip, announced as the whole size, and nothing more: a
// download that stalls after its first frames.
void write_stalled_download(const std::filesystem::path& clip, GrowingFile& file) {
  testing::write_truncated_copy(clip, file.path(), 1'500'000);
  file.expect_size(static_cast<int64_t>(std::filesystem::file_size(clip)));
  file.grew_to(1'500'000);
}

TEST(GrowingDecode, ADownloadThatBreaksIsReportedWithItsOwnError) {
  SN44_REQUIRE_SHARED_FILE(clip, kIndexFirstClip);
  testing::TempDir dir;
  GrowingFile file(dir / "clip.mp4");
  write_stalled_download(clip, file);
  Decoder decoder(file);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(decoder.next());
  file.fail(Error(ErrorKind::unavailable, "download of http://host/clip.mp4: Connection reset by peer"));
  // The failure comes at the next read of the file, not after every byte that did come: the
  // clip can no longer be answered whole.
  int64_t frames = 10;
  const Error error = expect_error([&] {
    while (decoder.next()) ++frames;
  });
  EXPECT_EQ(error.kind(), ErrorKind::unavailable);
  EXPECT_STREQ(error.what(), "download of http://host/clip.mp4: Connection reset by peer");
  EXPECT_LT(frames, 817);
}

TEST(GrowingDecode, ADownloadThatBreaksBeforeTheIndexFailsTheOpeningWithItsError) {
  testing::TempDir dir;
  testing::write_synthetic_video(dir / "source.mp4", 40, 64, 48);
  GrowingFile file(dir / "clip.mp4");
  const GrowingCopy copy(dir / "source.mp4", file, {.chunk_bytes = 256, .fail_after = 1000});
  const Error error = expect_error([&] { Decoder{file}; });
  EXPECT_EQ(error.kind(), ErrorKind::unavailable);
  EXPECT_THAT(error.what(), HasSubstr("Connection reset by peer"));
}

TEST(GrowingDecode, InterruptEndsAReadThatWaitsForAStalledDownload) {
  SN44_REQUIRE_SHARED_FILE(clip, kIndexFirstClip);
  testing::TempDir dir;
  GrowingFile file(dir / "clip.mp4");
  write_stalled_download(clip, file);
  Decoder decoder(file);
  auto decoding = std::async(std::launch::async, [&] {
    int64_t frames = 0;
    const Error error = expect_error([&] {
      while (decoder.next()) ++frames;
    });
    return std::pair{frames, error};
  });
  ASSERT_EQ(decoding.wait_for(500ms), std::future_status::timeout) << "the decoder should be waiting for the rest";
  decoder.interrupt();
  ASSERT_EQ(decoding.wait_for(5s), std::future_status::ready);
  const auto [frames, error] = decoding.get();
  EXPECT_GT(frames, 100);
  EXPECT_EQ(error.kind(), ErrorKind::timeout);
}

TEST(GrowingDecode, AFrameReaderOverAStalledDownloadStopsAtOnce) {
  SN44_REQUIRE_SHARED_FILE(clip, kIndexFirstClip);
  testing::TempDir dir;
  GrowingFile file(dir / "clip.mp4");
  write_stalled_download(clip, file);
  auto reader = std::make_unique<FrameReader>(file, DecoderOptions{}, 1000);
  ASSERT_TRUE(reader->next());
  std::this_thread::sleep_for(300ms);  // the decode thread reaches the end of what is there and waits
  const auto start = std::chrono::steady_clock::now();
  reader.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

}  // namespace
}  // namespace sn44::video

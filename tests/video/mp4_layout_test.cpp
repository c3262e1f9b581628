#include "video/mp4_layout.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <future>
#include <string>

#include "support/expect_error.h"
#include "support/synthetic_video.h"
#include "support/temp_dir.h"

namespace sn44::video {
namespace {

// A box: 32-bit big-endian size, type, then `payload` bytes of filler.
std::string box(const std::string& type, size_t payload) {
  const uint32_t size = static_cast<uint32_t>(8 + payload);
  std::string bytes = {static_cast<char>(size >> 24), static_cast<char>(size >> 16), static_cast<char>(size >> 8), static_cast<char>(size)};
  return bytes + type + std::string(payload, '\0');
}

// The header of a box with a 64-bit size (size field 1, then the real size after the type).
std::string large_box_header(const std::string& type, uint64_t size) {
  std::string bytes = std::string("\0\0\0\1", 4) + type;
  for (int shift = 56; shift >= 0; shift -= 8) bytes += static_cast<char>(size >> shift);
  return bytes;
}

std::string large_box(const std::string& type, size_t payload) { return large_box_header(type, 16 + payload) + std::string(payload, '\0'); }

class Mp4Layout : public ::testing::Test {
 protected:
  // The position for a complete file of these bytes.
  Mp4IndexPosition position_of(const std::string& bytes) {
    GrowingFile file(dir_ / "clip.mp4");
    std::ofstream(file.path(), std::ios::binary) << bytes;
    file.grew_to(static_cast<int64_t>(bytes.size()));
    file.complete();
    return mp4_index_position(file);
  }

  testing::TempDir dir_;
};

TEST_F(Mp4Layout, IndexBeforeMediaAfterAnyOtherBoxes) {
  EXPECT_EQ(position_of(box("ftyp", 24) + box("moov", 100) + box("mdat", 1000)), Mp4IndexPosition::before_media);
  EXPECT_EQ(position_of(box("ftyp", 24) + box("free", 8) + large_box("uuid", 40) + box("moov", 100)),
            Mp4IndexPosition::before_media);
  EXPECT_EQ(position_of(box("ftyp", 24) + box("beam", 40) + box("moov", 100)), Mp4IndexPosition::before_media);  // a vendor box
}

TEST_F(Mp4Layout, MediaBeforeIndex) {
  EXPECT_EQ(position_of(box("ftyp", 24) + box("wide", 0) + large_box("mdat", 1000) + box("moov", 100)),
            Mp4IndexPosition::after_media);
}

TEST_F(Mp4Layout, UnknownForWhatIsNotAnMp4OrEndsFirst) {
  EXPECT_EQ(position_of(std::string("\0\0\0\x10\x01\x02\x03\x04", 8) + std::string(8, '\0')), Mp4IndexPosition::unknown);
  EXPECT_EQ(position_of(box("ftyp", 24) + large_box_header("free", 100 << 20) + box("moov", 100)),
            Mp4IndexPosition::unknown);  // a moov 100 MB on is too far to look for
  EXPECT_EQ(position_of(box("ftyp", 24)), Mp4IndexPosition::unknown);               // ends after ftyp
  EXPECT_EQ(position_of(box("ftyp", 24) + std::string("\0\0\0", 3)), Mp4IndexPosition::unknown);  // a header cut short
  EXPECT_EQ(position_of(std::string("\0\0\0\4free", 8) + box("moov", 0)), Mp4IndexPosition::unknown);  // size under its header
  EXPECT_EQ(position_of(""), Mp4IndexPosition::unknown);
}

// What the encoder of the test clips writes: the index at the end.
TEST_F(Mp4Layout, AnEncodedClipHasItsIndexLast) {
  testing::write_synthetic_video(dir_ / "source.mp4", 3, 64, 48);
  GrowingFile file(dir_ / "source.mp4");
  file.grew_to(static_cast<int64_t>(std::filesystem::file_size(file.path())));
  file.complete();
  EXPECT_EQ(mp4_index_position(file), Mp4IndexPosition::after_media);
}

// A file that is not an MP4 is told at its first bytes, not after waiting for the rest.
TEST_F(Mp4Layout, AFileThatIsNotAnMp4IsToldWithoutWaitingForMore) {
  GrowingFile file(dir_ / "notes.mp4");
  const std::string bytes = "these are not the boxes you are looking for";
  std::ofstream(file.path(), std::ios::binary) << bytes;
  file.grew_to(static_cast<int64_t>(bytes.size()));
  auto position = std::async(std::launch::async, [&] { return mp4_index_position(file); });
  const bool answered = position.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  file.complete();  // lets a walk that waits end, so that a failure does not hang the test
  EXPECT_TRUE(answered);
  EXPECT_EQ(position.get(), Mp4IndexPosition::unknown);
}

// A header not there yet is waited for; a download that fails first is reported with its error.
TEST_F(Mp4Layout, WaitsForHeadersAndReportsAFailedDownload) {
  GrowingFile file(dir_ / "clip.mp4");
  std::ofstream(file.path(), std::ios::binary) << box("ftyp", 24);
  file.grew_to(32);
  file.fail(Error(ErrorKind::unavailable, "Connection reset by peer"));
  testing::expect_error(ErrorKind::unavailable, "Connection reset", [&] { mp4_index_position(file); });
}

}  // namespace
}  // namespace sn44::video

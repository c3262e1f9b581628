#include "core/file_contents.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "support/temp_dir.h"

namespace sn44 {
namespace {

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(FileContents, ReadsEveryByteOfAFile) {
  const testing::TempDir dir;
  std::string bytes = "line one\r\nline two";
  bytes.push_back('\0');
  bytes += std::string(70'000, '\xff');  // binary, and more than one read of a small buffer
  write_file(dir / "data.bin", bytes);
  EXPECT_EQ(read_file_contents(dir / "data.bin"), bytes);
}

TEST(FileContents, AnEmptyFileIsAnEmptyString) {
  const testing::TempDir dir;
  write_file(dir / "empty", "");
  EXPECT_EQ(read_file_contents(dir / "empty"), std::string());
}

TEST(FileContents, NothingForAMissingFileOrADirectory) {
  const testing::TempDir dir;
  EXPECT_EQ(read_file_contents(dir / "absent.json"), std::nullopt);
  EXPECT_EQ(read_file_contents(dir.path()), std::nullopt);
}

// A pipe has no size to go by: the reader grows its buffer until the writer closes.
TEST(FileContents, ReadsAPipeToItsEnd) {
  const testing::TempDir dir;
  const auto fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string bytes;
  for (int i = 0; i < 20'000; ++i) bytes += std::to_string(i) + ",";
  std::thread writer([&] { write_file(fifo, bytes); });
  const std::optional<std::string> read = read_file_contents(fifo);
  writer.join();
  EXPECT_EQ(read, bytes);
}

}  // namespace
}  // namespace sn44

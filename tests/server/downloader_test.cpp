#include "server/downloader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "server/temp_file.h"
#include "support/file_text.h"
#include "support/slow_file_server.h"
#include "support/expect_error.h"
#include "support/test_http_server.h"

namespace sn44::server {
namespace {

using ::testing::HasSubstr;

DownloadOptions fast_options() {
  DownloadOptions options;
  options.first_backoff = std::chrono::milliseconds(10);
  options.max_backoff = std::chrono::milliseconds(20);
  options.connect_timeout = std::chrono::milliseconds(2000);
  options.total_timeout = std::chrono::milliseconds(2000);
  return options;
}

TEST(Downloader, FetchesAFileFollowingRedirects) {
  testing::TestHttpServer files;
  files.serve("/clip.mp4", std::string(100000, 'v'));
  files.redirect("/short", "/clip.mp4");
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  const DownloadResult result = download(files.url("/short"), file, fast_options());
  EXPECT_EQ(result.bytes, 100000);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(testing::file_text(destination.path()), std::string(100000, 'v'));
  EXPECT_TRUE(file.is_complete());
  EXPECT_EQ(file.wait_for_size(), 100000);
}

// A body with every byte distinct enough that a shifted or repeated piece shows.
std::string numbered_body(size_t size) {
  std::string body(size, '\0');
  for (size_t i = 0; i < size; ++i) body[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
  return body;
}

TEST(Downloader, ReadersSeeTheFileGrowWhileItDownloads) {
  const std::string body = numbered_body(256 * 1024);
  testing::SlowFileServer server(body, {.chunk_bytes = 16 * 1024, .chunk_interval = std::chrono::milliseconds(20)});
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  std::jthread downloading([&] { download(server.url(), file, fast_options()); });
  // The announced size and the first bytes are there long before the last (16 chunks, 20 ms apart).
  EXPECT_EQ(file.wait_for_size(), static_cast<int64_t>(body.size()));
  EXPECT_GE(file.wait_for(16 * 1024), 16 * 1024);
  EXPECT_FALSE(file.is_complete());
  std::ifstream early(destination.path(), std::ios::binary);
  std::string first(16 * 1024, '\0');
  early.read(first.data(), static_cast<std::streamsize>(first.size()));
  EXPECT_EQ(first, body.substr(0, first.size())) << "announced bytes are in the file already";
  EXPECT_EQ(file.wait_for(static_cast<int64_t>(body.size()) + 1), static_cast<int64_t>(body.size()));
  EXPECT_TRUE(file.is_complete());
  downloading.join();
  EXPECT_EQ(testing::file_text(destination.path()), body);
}

TEST(Downloader, ARetryAsksForTheRestAndTheFileNeverChanges) {
  const std::string body = numbered_body(100'000);
  testing::SlowFileServer server(body, {.chunk_bytes = 4096, .cut_first_answer_after = 30'000});
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  const DownloadResult result = download(server.url(), file, fast_options());
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(result.bytes, 100'000);
  EXPECT_EQ(testing::file_text(destination.path()), body);
  const std::vector<std::string> ranges = server.range_headers();
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(ranges[0], "");
  EXPECT_THAT(ranges[1], ::testing::MatchesRegex("bytes=[0-9]+-"));
  EXPECT_EQ(file.wait_for_size(), 100'000);
}

TEST(Downloader, AServerThatIgnoresRangeSendsItAllAndTheKnownPartIsDropped) {
  const std::string body = numbered_body(100'000);
  testing::SlowFileServer server(body, {.chunk_bytes = 4096, .honour_range = false, .cut_first_answer_after = 30'000});
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  const DownloadResult result = download(server.url(), file, fast_options());
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(testing::file_text(destination.path()), body);
  EXPECT_THAT(server.range_headers().at(1), ::testing::StartsWith("bytes="));
}

TEST(Downloader, AnAnswerCutAfterItsLastByteIsCompleteWhenTheRestIsEmpty) {
  // Every byte arrives but the closing chunk does not; the retry for the rest gets 416.
  const std::string body = numbered_body(60'000);
  testing::SlowFileServer server(body, {.chunk_bytes = 8192, .cut_first_answer_after = 60'000, .chunked = true});
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  const DownloadResult result = download(server.url(), file, fast_options());
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(server.range_headers().at(1), "bytes=60000-");
  EXPECT_EQ(file.wait_for_size(), 60'000);
  EXPECT_EQ(testing::file_text(destination.path()), body);
}

TEST(Downloader, AChunkedAnswerCutShortIsResumed) {
  const std::string body = numbered_body(60'000);
  testing::SlowFileServer server(body, {.chunk_bytes = 8192, .cut_first_answer_after = 20'000, .chunked = true});
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  EXPECT_EQ(download(server.url(), file, fast_options()).attempts, 2);
  EXPECT_EQ(testing::file_text(destination.path()), body);
}

TEST(Downloader, WithoutContentLengthTheSizeIsKnownAtTheEnd) {
  const std::string body = numbered_body(50'000);
  testing::SlowFileServer server(body, {.chunk_bytes = 8192, .send_length = false});
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  download(server.url(), file, fast_options());
  EXPECT_EQ(file.wait_for_size(), 50'000);
  EXPECT_EQ(testing::file_text(destination.path()), body);
}

TEST(Downloader, NotFoundIsNotRetried) {
  testing::TestHttpServer files;
  files.fail("/missing.mp4", 404);
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  testing::expect_error(ErrorKind::not_found, "HTTP status 404", [&] { download(files.url("/missing.mp4"), file, fast_options()); });
  EXPECT_EQ(files.requests(), 1);
  // A reader of the file gets the download's error, not a short file.
  testing::expect_error(ErrorKind::not_found, "HTTP status 404", [&] { file.wait_for(1); });
}

TEST(Downloader, ServerErrorsAreRetriedThreeTimes) {
  testing::TestHttpServer files;
  files.fail("/broken.mp4", 503);
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  testing::expect_error(ErrorKind::unavailable, "after 3 attempts", [&] { download(files.url("/broken.mp4"), file, fast_options()); });
  EXPECT_EQ(files.requests(), 3);
}

TEST(Downloader, FilesOverTheLimitAreRefused) {
  testing::TestHttpServer files;
  files.serve("/big.mp4", std::string(5000, 'b'));
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  DownloadOptions options = fast_options();
  options.max_bytes = 4096;
  testing::expect_error(ErrorKind::too_large, "larger than the limit of 4096 bytes", [&] { download(files.url("/big.mp4"), file, options); });
  EXPECT_EQ(files.requests(), 1);
  EXPECT_LE(std::filesystem::file_size(destination.path()), 4096u);
}

TEST(Downloader, AServerThatNeverAnswersTimesOut) {
  testing::TestHttpServer files;
  files.hang("/slow.mp4");
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  DownloadOptions options = fast_options();
  options.attempts = 1;
  options.total_timeout = std::chrono::milliseconds(300);
  testing::expect_error(ErrorKind::unavailable, "timed out", [&] { download(files.url("/slow.mp4"), file, options); });
}

// The stop reaches a transfer that waits for a server saying nothing, without waiting for curl's
// next progress call: a second apart while nothing arrives (here at 0.2 s, 1.2 s, ...).
TEST(Downloader, AStopRequestEndsAStalledDownloadAtOnce) {
  testing::TestHttpServer files;
  files.hang("/slow.mp4");
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  std::stop_source stop;
  std::chrono::steady_clock::time_point stopped_at;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    stopped_at = std::chrono::steady_clock::now();
    stop.request_stop();
  });
  testing::expect_error(ErrorKind::timeout, "stopped", [&] { download(files.url("/slow.mp4"), file, fast_options(), stop.get_token()); });
  const auto ended_at = std::chrono::steady_clock::now();
  stopper.join();
  EXPECT_LT(ended_at - stopped_at, std::chrono::milliseconds(300));
}

TEST(Downloader, OnlyHttpAndHttpsUrls) {
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  for (const std::string url : {"file:///etc/passwd", "ftp://example.com/v.mp4", "gopher://x", "/local/path.mp4"}) {
    testing::expect_error(ErrorKind::invalid_argument, "http or https", [&] { download(url, file, fast_options()); });
  }
  // A redirect may not leave http(s) either.
  testing::TestHttpServer files;
  files.redirect("/sneaky", "file:///etc/passwd");
  EXPECT_THROW(download(files.url("/sneaky"), file, fast_options()), Error);
  EXPECT_EQ(std::filesystem::file_size(destination.path()), 0u);
}

TEST(Downloader, UnreachableHost) {
  TempFile destination("clip.mp4");
  GrowingFile file(destination.path());
  DownloadOptions options = fast_options();
  options.attempts = 2;
  // Port 9 (discard) on loopback is closed: connection refused at once.
  testing::expect_error(ErrorKind::unavailable, "after 2 attempts", [&] { download("http://127.0.0.1:9/v.mp4", file, options); });
}

TEST(Downloader, GoogleDriveLinksBecomeDirectDownloads) {
  const std::string direct = "https://drive.usercontent.google.com/download?id=1AbC_d-9&export=download&confirm=t";
  EXPECT_EQ(rewrite_google_drive_url("https://drive.google.com/file/d/1AbC_d-9/view?usp=sharing"), direct);
  EXPECT_EQ(rewrite_google_drive_url("https://drive.google.com/uc?id=1AbC_d-9&export=download"), direct);
  EXPECT_EQ(rewrite_google_drive_url("https://drive.google.com/open?id=1AbC_d-9"), direct);
  EXPECT_EQ(rewrite_google_drive_url("https://example.com/file/d/x?id=3"), "https://example.com/file/d/x?id=3");
}

TEST(TempFile, IsPrivateAndRemovedWithItsFolder) {
  std::filesystem::path folder;
  {
    TempFile file("clip.mp4");
    folder = file.path().parent_path();
    EXPECT_TRUE(std::filesystem::exists(file.path()));
    EXPECT_EQ(std::filesystem::status(folder).permissions() & std::filesystem::perms::all, std::filesystem::perms::owner_all);
    EXPECT_EQ(std::filesystem::status(file.path()).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  EXPECT_FALSE(std::filesystem::exists(folder));
}

}  // namespace
}  // namespace sn44::server

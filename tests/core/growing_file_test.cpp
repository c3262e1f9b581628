// The hand-over between a download and the decoder reading it: readers wait for bytes, see the end
// of a complete file, get the writer's error after a failure, and can be stopped.

#include "core/growing_file.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

namespace sn44 {
namespace {

using namespace std::chrono_literals;

TEST(GrowingFile, AReaderWaitsForTheBytesItNeeds) {
  GrowingFile file("clip.mp4");
  file.grew_to(100);
  EXPECT_EQ(file.wait_for(100), 100);
  EXPECT_EQ(file.wait_for(40), 100) << "all there is now";
  auto waiting = std::async(std::launch::async, [&] { return file.wait_for(250); });
  EXPECT_EQ(waiting.wait_for(50ms), std::future_status::timeout) << "only 100 of 250 bytes are there";
  file.grew_to(200);
  EXPECT_EQ(waiting.wait_for(50ms), std::future_status::timeout) << "200 of 250";
  file.grew_to(300);
  EXPECT_EQ(waiting.get(), 300);
  file.grew_to(120);  // never shrinks
  EXPECT_EQ(file.wait_for(300), 300);
}

TEST(GrowingFile, ACompleteFileAnswersReadsPastItsEndWithWhatThereIs) {
  GrowingFile file("clip.mp4");
  auto waiting = std::async(std::launch::async, [&] { return file.wait_for(1000); });
  file.grew_to(600);
  EXPECT_FALSE(file.is_complete());
  file.complete();
  EXPECT_EQ(waiting.get(), 600);
  EXPECT_TRUE(file.is_complete());
  EXPECT_EQ(file.wait_for(10'000), 600);
  EXPECT_EQ(file.wait_for_size(), 600);
  file.fail(Error(ErrorKind::unavailable, "too late"));  // a whole file stays whole
  EXPECT_EQ(file.wait_for(600), 600);
}

TEST(GrowingFile, TheAnnouncedSizeIsKnownBeforeTheEnd) {
  GrowingFile file("clip.mp4");
  auto size = std::async(std::launch::async, [&] { return file.wait_for_size(); });
  EXPECT_EQ(size.wait_for(50ms), std::future_status::timeout) << "no Content-Length yet";
  EXPECT_EQ(file.announced_size(), std::nullopt);
  file.expect_size(4096);
  EXPECT_EQ(size.get(), 4096);
  EXPECT_EQ(file.announced_size(), 4096);
  file.grew_to(4000);
  file.complete();
  EXPECT_EQ(file.wait_for_size(), 4000) << "the bytes that came, not the promise";
}

TEST(GrowingFile, ReadersGetTheWritersErrorAndOnlyTheFirst) {
  GrowingFile file("clip.mp4");
  file.grew_to(10);
  EXPECT_EQ(file.wait_for(5), 10);
  auto waiting = std::async(std::launch::async, [&] { return file.wait_for(20); });
  file.fail(Error(ErrorKind::not_found, "download of http://host/clip.mp4: HTTP status 404"));
  file.fail(Error(ErrorKind::internal, "a later failure"));
  try {
    waiting.get();
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::not_found);
    EXPECT_STREQ(error.what(), "download of http://host/clip.mp4: HTTP status 404");
  }
  EXPECT_THROW(file.wait_for_size(), Error);
}

TEST(GrowingFile, AStopEndsTheWait) {
  GrowingFile file("clip.mp4");
  std::stop_source stop;
  auto waiting = std::async(std::launch::async, [&] { return file.wait_for(1, stop.get_token()); });
  EXPECT_EQ(waiting.wait_for(50ms), std::future_status::timeout);
  stop.request_stop();
  try {
    waiting.get();
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::timeout);
  }
}

}  // namespace
}  // namespace sn44

// The pause of background threads: it lasts its time, and a stop ends it at once.

#include "core/stop_wait.h"

#include <gtest/gtest.h>

#include <thread>

namespace sn44 {
namespace {

using namespace std::chrono_literals;

TEST(SleepUnlessStopped, LastsItsTimeWithoutAStop) {
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(sleep_unless_stopped(50ms, std::stop_token{}));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 50ms);
}

TEST(SleepUnlessStopped, AStopEndsItAtOnce) {
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(30ms);
    stop.request_stop();
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(sleep_unless_stopped(std::chrono::hours(1), stop.get_token()));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_FALSE(sleep_unless_stopped(std::chrono::hours(1), stop.get_token())) << "already stopped: no wait at all";
}

}  // namespace
}  // namespace sn44

// The challenge queue's time limit counts from each job's arrival, as the validator's wait does:
// a job behind a slow one gets only what is left of its time, and none when it has run out.

#include "server/challenge_queue.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

namespace sn44::server {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Runs for `duration` whatever its stop token says: a challenge slow to notice its time limit.
ChallengeQueue::Job stalling_job(milliseconds duration) {
  return {[duration](std::stop_token) { std::this_thread::sleep_for(duration); }, [](ChallengeQueue::Dropped) {}};
}

// What became of a job: how long after its submission its stop token fired, or why it was dropped.
struct Outcome {
  std::optional<Clock::duration> stopped_after;
  std::optional<ChallengeQueue::Dropped> dropped;
};

// Waits for its stop token, then reports; reports a drop as such.
ChallengeQueue::Job reporting_job(Clock::time_point submitted, std::promise<Outcome>& outcome) {
  return {[submitted, &outcome](std::stop_token stop) {
            std::mutex mutex;
            std::condition_variable_any never;
            std::unique_lock lock(mutex);
            never.wait(lock, stop, [] { return false; });
            outcome.set_value(Outcome{Clock::now() - submitted, std::nullopt});
          },
          [&outcome](ChallengeQueue::Dropped why) { outcome.set_value(Outcome{std::nullopt, why}); }};
}

// What becomes of a job submitted right behind one that stalls for `stall`.
Outcome behind_a_stalling_job(ChallengeQueue& queue, milliseconds stall) {
  EXPECT_EQ(queue.submit(stalling_job(stall)), ChallengeQueue::Submitted::queued);
  std::promise<Outcome> outcome;
  EXPECT_EQ(queue.submit(reporting_job(Clock::now(), outcome)), ChallengeQueue::Submitted::queued);
  return outcome.get_future().get();
}

TEST(ChallengeQueue, AWaitingJobGetsOnlyWhatIsLeftOfItsTime) {
  ChallengeQueue queue(2, milliseconds(1000));
  const Outcome second = behind_a_stalling_job(queue, milliseconds(500));
  ASSERT_TRUE(second.stopped_after) << "the second job had time left when its turn came";
  // 1000 ms from its arrival, not from its start (that would be about 1500 ms).
  EXPECT_GE(*second.stopped_after, milliseconds(1000));
  EXPECT_LT(*second.stopped_after, milliseconds(1400));
}

TEST(ChallengeQueue, AJobWhoseTimeRanOutWhileItWaitedIsDroppedWithoutRunning) {
  ChallengeQueue queue(2, milliseconds(200));
  const Outcome second = behind_a_stalling_job(queue, milliseconds(400));
  EXPECT_FALSE(second.stopped_after) << "an expired job must not start";
  EXPECT_EQ(second.dropped, ChallengeQueue::Dropped::expired);
  // The queue goes on: a new job runs.
  std::promise<Outcome> third;
  ASSERT_EQ(queue.submit(reporting_job(Clock::now(), third)), ChallengeQueue::Submitted::queued);
  EXPECT_TRUE(third.get_future().get().stopped_after);
}

TEST(ChallengeQueue, ShutdownDropsTheWaitingJobsAndRefusesNewOnes) {
  ChallengeQueue queue(2, milliseconds(60000));
  std::promise<Outcome> running, waiting;
  ASSERT_EQ(queue.submit(reporting_job(Clock::now(), running)), ChallengeQueue::Submitted::queued);
  while (!queue.busy()) std::this_thread::sleep_for(milliseconds(1));
  ASSERT_EQ(queue.submit(reporting_job(Clock::now(), waiting)), ChallengeQueue::Submitted::queued);
  queue.shutdown();
  EXPECT_TRUE(running.get_future().get().stopped_after) << "the running job is stopped";
  EXPECT_EQ(waiting.get_future().get().dropped, ChallengeQueue::Dropped::shutting_down);
  EXPECT_EQ(queue.submit(stalling_job(milliseconds(0))), ChallengeQueue::Submitted::closed);
  EXPECT_EQ(queue.depth(), 0U);
}

}  // namespace
}  // namespace sn44::server

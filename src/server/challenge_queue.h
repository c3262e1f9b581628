#pragma once
// One challenge at a time. Later ones wait in a bounded queue (beyond it the caller answers 503);
// each running challenge gets a stop token that fires at its time limit, so work that cannot
// finish in time (the validator stops waiting after 240 s) is abandoned rather than blocking the
// ones behind it.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

namespace sn44::server {

class ChallengeQueue {
 public:
  struct Job {
    std::function<void(std::stop_token)> run;  // does the work and answers the client
    std::function<void()> drop;                // answers the client when the queue shuts down first
  };

  ChallengeQueue(size_t max_waiting, std::chrono::milliseconds time_limit);
  ~ChallengeQueue();  // stops the running job, drops the waiting ones
  ChallengeQueue(const ChallengeQueue&) = delete;
  ChallengeQueue& operator=(const ChallengeQueue&) = delete;

  // False when `max_waiting` jobs are already waiting.
  bool submit(Job job);

  bool busy() const;     // a job is running
  size_t depth() const;  // running + waiting

 private:
  void work(std::stop_token stop);
  void watch(std::stop_token stop);

  const size_t max_waiting_;
  const std::chrono::milliseconds time_limit_;
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::deque<Job> waiting_;
  bool running_ = false;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::stop_source current_stop_;
  std::jthread watchdog_;
  std::jthread worker_;
};

}  // namespace sn44::server

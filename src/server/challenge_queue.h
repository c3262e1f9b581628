#pragma once
// One challenge at a time. Later ones wait in a bounded queue (beyond it the caller answers 503).
// Each challenge's time limit counts from its arrival, as the validator's wait does (it stops
// waiting after 240 s): the running one gets a stop token that fires then, so work that cannot
// finish in time is abandoned rather than blocking the ones behind it, and one whose time ran out
// while it waited is dropped without being started.

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
  enum class Dropped { shutting_down, expired };  // why a job was not run

  struct Job {
    std::function<void(std::stop_token)> run;  // does the work and answers the client
    std::function<void(Dropped)> drop;         // answers the client when the job is not run
  };

  enum class Submitted { queued, full, closed };

  ChallengeQueue(size_t max_waiting, std::chrono::milliseconds time_limit);
  ~ChallengeQueue();  // shutdown()
  ChallengeQueue(const ChallengeQueue&) = delete;
  ChallengeQueue& operator=(const ChallengeQueue&) = delete;

  // full when `max_waiting` jobs are already waiting, closed after shutdown().
  Submitted submit(Job job);

  // Stops the running job, drops the waiting ones and refuses new ones; returns when the running
  // job has returned. The queue stays usable for queries (busy, depth), so that other threads may
  // keep asking while it shuts down.
  void shutdown();

  bool busy() const;     // a job is running
  size_t depth() const;  // running + waiting

 private:
  void work(std::stop_token stop);
  void watch(std::stop_token stop);

  const size_t max_waiting_;
  const std::chrono::milliseconds time_limit_;
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  struct Waiting {
    Job job;
    std::chrono::steady_clock::time_point deadline;  // arrival + time limit
  };
  std::deque<Waiting> waiting_;
  bool running_ = false;
  bool closed_ = false;
  std::once_flag shut_down_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::stop_source current_stop_;
  std::jthread watchdog_;
  std::jthread worker_;
};

}  // namespace sn44::server

#include "server/challenge_queue.h"

namespace sn44::server {

ChallengeQueue::ChallengeQueue(size_t max_waiting, std::chrono::milliseconds time_limit)
    : max_waiting_(max_waiting),
      time_limit_(time_limit),
      watchdog_([this](std::stop_token stop) { watch(stop); }),
      worker_([this](std::stop_token stop) { work(stop); }) {}

ChallengeQueue::~ChallengeQueue() { shutdown(); }

void ChallengeQueue::shutdown() {
  std::call_once(shut_down_, [this] {
    std::deque<Waiting> dropped;
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
      dropped.swap(waiting_);
      current_stop_.request_stop();
    }
    worker_.request_stop();
    watchdog_.request_stop();
    changed_.notify_all();
    worker_.join();
    watchdog_.join();
    for (Waiting& waiting : dropped) waiting.job.drop(Dropped::shutting_down);
  });
}

ChallengeQueue::Submitted ChallengeQueue::submit(Job job) {
  {
    const std::lock_guard lock(mutex_);
    if (closed_) return Submitted::closed;
    if (waiting_.size() >= max_waiting_) return Submitted::full;
    waiting_.push_back(Waiting{std::move(job), std::chrono::steady_clock::now() + time_limit_});
  }
  changed_.notify_all();
  return Submitted::queued;
}

bool ChallengeQueue::busy() const {
  const std::lock_guard lock(mutex_);
  return running_;
}

size_t ChallengeQueue::depth() const {
  const std::lock_guard lock(mutex_);
  return waiting_.size() + (running_ ? 1 : 0);
}

void ChallengeQueue::work(std::stop_token stop) {
  while (true) {
    Job job;
    std::stop_token job_stop;
    bool expired = false;
    {
      std::unique_lock lock(mutex_);
      if (!changed_.wait(lock, stop, [this] { return !waiting_.empty(); })) return;
      Waiting next = std::move(waiting_.front());
      waiting_.pop_front();
      job = std::move(next.job);
      expired = std::chrono::steady_clock::now() >= next.deadline;
      if (!expired) {
        running_ = true;
        current_stop_ = std::stop_source();
        job_stop = current_stop_.get_token();
        deadline_ = next.deadline;
      }
    }
    if (expired) {  // its client has stopped waiting: no download, no analysis
      job.drop(Dropped::expired);
      continue;
    }
    changed_.notify_all();
    job.run(job_stop);
    {
      const std::lock_guard lock(mutex_);
      running_ = false;
      deadline_.reset();
    }
    changed_.notify_all();
  }
}

void ChallengeQueue::watch(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    if (!deadline_) {
      changed_.wait(lock, stop, [this] { return deadline_.has_value(); });
      continue;
    }
    const auto deadline = *deadline_;
    if (std::chrono::steady_clock::now() >= deadline) {
      current_stop_.request_stop();
      changed_.wait(lock, stop, [this, deadline] { return !deadline_ || *deadline_ != deadline; });
      continue;
    }
    changed_.wait_until(lock, stop, deadline, [this, deadline] { return !deadline_ || *deadline_ != deadline; });
  }
}

}  // namespace sn44::server

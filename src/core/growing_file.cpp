#include "core/growing_file.h"

#include <algorithm>

namespace sn44 {

template <typename Change>
void GrowingFile::change(Change apply) {
  {
    const std::lock_guard lock(mutex_);
    apply();
  }
  changed_.notify_all();
}

void GrowingFile::expect_size(int64_t expected_size) {
  change([&] { expected_size_ = expected_size; });
}

void GrowingFile::grew_to(int64_t size) {
  change([&] { size_ = std::max(size_, size); });
}

void GrowingFile::complete() {
  change([&] { complete_ = true; });
}

void GrowingFile::fail(const Error& error) {
  change([&] {
    if (!complete_ && !failure_) failure_ = error;  // the first cause is the one to report
  });
}

template <typename Ready>
void GrowingFile::wait(std::unique_lock<std::mutex>& lock, std::stop_token stop, Ready ready) const {
  changed_.wait(lock, stop, [&] { return complete_ || failure_ || ready(); });
  if (complete_) return;  // a whole file answers every reader, whatever else happened
  if (failure_) throw *failure_;
  if (!ready()) throw Error(ErrorKind::timeout, "stopped while waiting for the video to download");
}

int64_t GrowingFile::wait_for(int64_t end, std::stop_token stop) const {
  std::unique_lock lock(mutex_);
  wait(lock, stop, [&] { return size_ >= end; });
  return size_;
}

int64_t GrowingFile::wait_for_size(std::stop_token stop) const {
  std::unique_lock lock(mutex_);
  wait(lock, stop, [&] { return expected_size_.has_value(); });
  return complete_ ? size_ : *expected_size_;
}

bool GrowingFile::is_complete() const {
  const std::lock_guard lock(mutex_);
  return complete_;
}

std::optional<int64_t> GrowingFile::announced_size() const {
  const std::lock_guard lock(mutex_);
  return expected_size_;
}

}  // namespace sn44

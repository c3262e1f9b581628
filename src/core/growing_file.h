#pragma once
// A file that one thread writes (the challenge download) while another reads it (the decoder), so
// that decoding starts with the first bytes instead of after the last. The writer says how far the
// file has grown and how it ended; a reader waits for the bytes it needs rather than taking a file
// that is still short for a truncated one.

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stop_token>

#include "core/error.h"

namespace sn44 {

class GrowingFile {
 public:
  explicit GrowingFile(std::filesystem::path path) : path_(std::move(path)) {}
  GrowingFile(const GrowingFile&) = delete;
  GrowingFile& operator=(const GrowingFile&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writer side. `expected_size` is what the server announced (Content-Length); the bytes up to
  // `grown_to` must be written where a reader opening the path sees them (flushed).
  void expect_size(int64_t expected_size);
  void grew_to(int64_t size);  // never shrinks: a smaller size is ignored
  void complete();             // the file is whole; its size is the last grew_to
  void fail(const Error& error);  // it never will be; readers get `error`

  // Reader side. Waits until the first `end` bytes are there, the file is complete, it failed or
  // `stop` is requested. Returns how many bytes can be read now: at least `end`, or fewer at the
  // end of a complete file. Throws the writer's error after a failure, even for bytes that are
  // there (the file will never be whole, so its reader need not go on); Error(timeout) on stop.
  int64_t wait_for(int64_t end, std::stop_token stop = {}) const;

  // The whole file's size: once complete, its size; before that, the size the server announced.
  // Without either it waits for the end, as wait_for does.
  int64_t wait_for_size(std::stop_token stop = {}) const;

  bool is_complete() const;
  // What the writer announced (expect_size), if anything; it does not wait.
  std::optional<int64_t> announced_size() const;

 private:
  // Applies a writer's change under the lock, then wakes the readers.
  template <typename Change>
  void change(Change apply);
  // Waits for `ready` (under the lock), then rethrows a failure or a stop.
  template <typename Ready>
  void wait(std::unique_lock<std::mutex>& lock, std::stop_token stop, Ready ready) const;

  const std::filesystem::path path_;
  mutable std::mutex mutex_;
  mutable std::condition_variable_any changed_;
  int64_t size_ = 0;
  std::optional<int64_t> expected_size_;
  bool complete_ = false;
  std::optional<Error> failure_;
};

}  // namespace sn44

#pragma once
// A download played back from a local file: a thread copies it into a GrowingFile piece by piece,
// at a set pace, announcing each piece, and can fail part-way as a broken download does.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/growing_file.h"

namespace sn44::testing {

class GrowingCopy {
 public:
  struct Pace {
    size_t chunk_bytes = 64 * 1024;
    std::chrono::microseconds interval{0};  // after each chunk
    bool announce_size = true;              // as a server sending Content-Length does
    std::optional<int64_t> fail_after = std::nullopt;  // fail with `failure` once this many bytes are there
    Error failure{ErrorKind::unavailable, "download of http://host/clip.mp4: Connection reset by peer"};
  };

  // Starts copying `source` into `destination.path()` (created or truncated first).
  GrowingCopy(const std::filesystem::path& source, GrowingFile& destination, Pace pace);
  ~GrowingCopy();  // stops a copy still running (the file then fails) and waits for its thread
  GrowingCopy(const GrowingCopy&) = delete;
  GrowingCopy& operator=(const GrowingCopy&) = delete;

  bool finished() const { return finished_.load(); }

 private:
  std::atomic<bool> finished_{false};
  std::jthread thread_;
};

}  // namespace sn44::testing

#pragma once
// Text from the network as the log shows it, and a limit on how fast a message may repeat: what
// a stranger sends must neither forge log lines nor fill the disk. (spdlog has no rate limit.)

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace sn44 {

// `text` with every byte outside printable ASCII as \xNN (so no escape sequence or line break
// reaches the log), cut after `max_bytes` bytes of the original with its full size said.
std::string log_text(std::string_view text, size_t max_bytes = 64);

// Lets through at most `burst` messages in each `window`, and counts the ones held back.
// Thread-safe.
class LogThrottle {
 public:
  LogThrottle(size_t burst, std::chrono::steady_clock::duration window);

  // nullopt: do not log this one. Else the number of messages held back since the last one let
  // through, for the message to mention.
  std::optional<size_t> admit(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

 private:
  const size_t burst_;
  const std::chrono::steady_clock::duration window_;
  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> window_start_;
  size_t admitted_in_window_ = 0;
  size_t held_back_ = 0;
};

}  // namespace sn44

#include "core/log_text.h"

#include <cstdio>

namespace sn44 {

std::string log_text(std::string_view text, size_t max_bytes) {
  std::string shown;
  for (const char c : text.substr(0, max_bytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      shown += c;
    } else {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      shown += escaped;
    }
  }
  if (text.size() > max_bytes) shown += "... (" + std::to_string(text.size()) + " bytes)";
  return shown;
}

LogThrottle::LogThrottle(size_t burst, std::chrono::steady_clock::duration window) : burst_(burst), window_(window) {}

std::optional<size_t> LogThrottle::admit(std::chrono::steady_clock::time_point now) {
  const std::lock_guard lock(mutex_);
  if (!window_start_ || now - *window_start_ >= window_) {
    window_start_ = now;
    admitted_in_window_ = 0;
  }
  if (admitted_in_window_ >= burst_) {
    ++held_back_;
    return std::nullopt;
  }
  ++admitted_in_window_;
  const size_t held_back = held_back_;
  held_back_ = 0;
  return held_back;
}

}  // namespace sn44

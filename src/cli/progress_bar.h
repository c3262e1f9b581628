#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal (logs stay clean).

#include <chrono>
#include <cstdint>
#include <string>

namespace sn44::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label, bool enabled);
  ~ProgressBar();  // ends the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // `expected` may be 0 (unknown) or wrong (container headers over-state frame counts).
  void update(int64_t done, int64_t expected);

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace sn44::cli

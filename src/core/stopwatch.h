#pragma once
// Elapsed wall time since construction, for the stage timings the pipeline reports.

#include <chrono>

namespace sn44 {

class Stopwatch {
 public:
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace sn44

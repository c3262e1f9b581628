#include "core/stop_wait.h"

#include <condition_variable>
#include <mutex>

namespace sn44 {

bool sleep_unless_stopped(std::chrono::milliseconds duration, std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  // wait_for returns the predicate's value, false whether the time passed or a stop came.
  wake.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace sn44

#pragma once
// Pauses that end early when a stop is requested: the retry back-offs and refresh intervals of
// background threads, so that shutting down does not wait them out.

#include <chrono>
#include <stop_token>

namespace sn44 {

// Waits `duration`. False when `stop` was requested before it passed (at once if it already was).
bool sleep_unless_stopped(std::chrono::milliseconds duration, std::stop_token stop);

}  // namespace sn44

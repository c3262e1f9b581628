#pragma once
// Replay protection for signed requests. A nonce is "<time.time_ns()>_<suffix>"; it is accepted
// once, and only while its timestamp is within the window (120 s) of our clock. Accepted nonces are
// remembered until their timestamp leaves the window (after which the window check alone rejects
// them), so the table holds at most the nonces of one window, and never more than `capacity`:
// at ~250 bytes per entry the default 65,536 entries bound it to about 16 MiB.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sn44::protocol {

enum class NonceVerdict { accepted, malformed, outside_window, replayed, table_full };
std::string_view to_string(NonceVerdict verdict);

class NonceGuard {
 public:
  explicit NonceGuard(std::chrono::nanoseconds window = std::chrono::seconds(120), size_t capacity = 65536);

  // Checks `nonce` at time `now_ns` (ns since the Unix epoch) and remembers it when accepted.
  // Thread-safe.
  NonceVerdict check(std::string_view nonce, int64_t now_ns);

  // What check() would answer now, without remembering the nonce: the check before a request's
  // signature is verified, so that requests refused later take no room in the table.
  NonceVerdict screen(std::string_view nonce, int64_t now_ns);

  size_t size() const;

 private:
  NonceVerdict examine(std::string_view nonce, int64_t now_ns, bool remember);
  void forget_expired(int64_t now_ns);

  const int64_t window_ns_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, int64_t> expiry_by_nonce_;
  std::multimap<int64_t, std::string> nonces_by_expiry_;
};

// The current time as the nonce clock counts it (ns since the Unix epoch).
int64_t unix_time_ns();

}  // namespace sn44::protocol

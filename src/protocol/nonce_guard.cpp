#include "protocol/nonce_guard.h"

#include <charconv>

namespace sn44::protocol {
namespace {

constexpr size_t kMaxNonceLength = 64;

}  // namespace

std::string_view to_string(NonceVerdict verdict) {
  switch (verdict) {
    case NonceVerdict::accepted: return "accepted";
    case NonceVerdict::malformed: return "nonce is malformed";
    case NonceVerdict::outside_window: return "nonce timestamp is outside the allowed window";
    case NonceVerdict::replayed: return "nonce was already used";
    case NonceVerdict::table_full: return "too many recent nonces";
  }
  return "unknown";
}

NonceGuard::NonceGuard(std::chrono::nanoseconds window, size_t capacity)
    : window_ns_(window.count()), capacity_(capacity) {}

void NonceGuard::forget_expired(int64_t now_ns) {
  const auto end = nonces_by_expiry_.lower_bound(now_ns);
  for (auto it = nonces_by_expiry_.begin(); it != end; ++it) expiry_by_nonce_.erase(it->second);
  nonces_by_expiry_.erase(nonces_by_expiry_.begin(), end);
}

NonceVerdict NonceGuard::check(std::string_view nonce, int64_t now_ns) { return examine(nonce, now_ns, true); }

NonceVerdict NonceGuard::screen(std::string_view nonce, int64_t now_ns) { return examine(nonce, now_ns, false); }

NonceVerdict NonceGuard::examine(std::string_view nonce, int64_t now_ns, bool remember) {
  if (nonce.empty() || nonce.size() > kMaxNonceLength) return NonceVerdict::malformed;
  for (const char c : nonce)
    if (c <= ' ' || c > '~') return NonceVerdict::malformed;
  const std::string_view digits = nonce.substr(0, nonce.find('_'));
  int64_t timestamp = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), timestamp);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || timestamp < 0)
    return NonceVerdict::malformed;
  // |now - timestamp| > window, without overflow for timestamps far from now.
  if (timestamp < now_ns - window_ns_ || timestamp > now_ns + window_ns_) return NonceVerdict::outside_window;

  const std::lock_guard lock(mutex_);
  forget_expired(now_ns);
  if (expiry_by_nonce_.contains(std::string(nonce))) return NonceVerdict::replayed;
  if (expiry_by_nonce_.size() >= capacity_) return NonceVerdict::table_full;
  if (!remember) return NonceVerdict::accepted;
  const int64_t expiry = timestamp + window_ns_ + 1;  // rejected by the window check from then on
  expiry_by_nonce_.emplace(nonce, expiry);
  nonces_by_expiry_.emplace(expiry, nonce);
  return NonceVerdict::accepted;
}

size_t NonceGuard::size() const {
  const std::lock_guard lock(mutex_);
  return expiry_by_nonce_.size();
}

int64_t unix_time_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace sn44::protocol

#pragma once
// Who may send challenges: validators registered on the subnet with at least MIN_STAKE_THRESHOLD
// TAO staked. The gate asks a StakeSource for a hotkey's stake; the source is the chain's
// metagraph or, until that is wired in, a static allowlist file.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/registration.h"

namespace sn44::server {

class StakeSource {
 public:
  virtual ~StakeSource() = default;
  // The validator's stake in TAO, or nullopt when the hotkey is not registered.
  virtual std::optional<double> stake_of(const std::string& ss58_hotkey) const = 0;
  // For sources that refresh (the metagraph): how the refreshes go, for /health and /metrics.
  struct RefreshState {
    std::optional<double> age_seconds;  // since the last successful refresh; nullopt before the first
    std::string last_error;             // why the latest attempt failed; empty when it succeeded
    int consecutive_failures = 0;
  };
  virtual std::optional<RefreshState> refresh_state() const { return std::nullopt; }
  // The chain's record of a hotkey (the miner's own), or nullopt when the source does not know it
  // (a static allowlist).
  virtual std::optional<MinerRegistration> registration_of(const std::string&) const { return std::nullopt; }
};

// A file of "<ss58 hotkey> <stake in TAO>" lines ('#' starts a comment). Throws Error naming the
// line that cannot be read.
class AllowlistStakeSource : public StakeSource {
 public:
  explicit AllowlistStakeSource(const std::filesystem::path& path);
  std::optional<double> stake_of(const std::string& ss58_hotkey) const override;
  size_t size() const { return stakes_.size(); }

 private:
  std::unordered_map<std::string, double> stakes_;
};

// Throws Error(forbidden) with the reason (unknown hotkey, or the stake and the threshold) unless
// the hotkey may send challenges.
void check_stake(const StakeSource& source, const std::string& ss58_hotkey, double min_stake);

}  // namespace sn44::server

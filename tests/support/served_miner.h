#pragma once
// `sn44-miner serve` run as an operator runs it, for the tests and benchmarks of the executable: a
// wallet, a stake allowlist naming one validator (validator.json) beside a key it does not name
// (stranger.json), a download folder, on a free loopback port; `challenge` runs against it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "support/run_command.h"
#include "support/temp_dir.h"

namespace sn44::testing {

// Writes a Bittensor key file for the key with this seed; returns its SS58 address.
std::string write_key_file(const std::filesystem::path& path, uint8_t seed_byte);

uint16_t free_port();

// Polls GET /health until it answers 200 (true), or the process ends or 600 polls fail (false).
bool wait_until_healthy(const std::string& base_url, BackgroundProcess& miner);

// What a running process holds, from /proc.
struct ProcessStats {
  int64_t resident_bytes = 0;
  int open_descriptors = 0;
  int threads = 0;
};
ProcessStats process_stats(int pid);

class ServedMiner {
 public:
  ServedMiner(const std::filesystem::path& executable, const std::filesystem::path& player_model,
              const std::filesystem::path& pitch_model);

  bool ready() { return wait_until_healthy(base_url_, *miner_); }
  CommandResult stop() { return miner_->terminate(); }
  int pid() const { return miner_->pid(); }
  const std::filesystem::path& dir() const { return dir_.path(); }
  const std::string& base_url() const { return base_url_; }
  const std::string& address() const { return miner_address_; }

  // `challenge` for the clip at `video_url`, signed with `key_file` (in dir()); the miner's hotkey
  // is given explicitly or, when `announced`, read from the miner.
  CommandResult challenge(const std::string& key_file, const std::string& video_url, bool announced = false) const;

 private:
  std::filesystem::path executable_;
  TempDir dir_;
  std::string miner_address_;
  uint16_t port_;
  std::string base_url_;
  std::optional<BackgroundProcess> miner_;
};

}  // namespace sn44::testing

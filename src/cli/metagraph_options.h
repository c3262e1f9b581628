#pragma once
// Where the subnet's metagraph comes from (NETUID, SUBTENSOR_NETWORK, SUBTENSOR_ADDRESS, as the
// reference names them), shared by `serve` (the stake check) and `metagraph` (the listing).

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "chain/metagraph_cache.h"
#include "server/stake_gate.h"

namespace sn44::cli {

struct MetagraphSettings {
  uint16_t netuid = 44;
  std::string network = "finney";
  std::string address;  // overrides the network's endpoint
  double refresh_s = 300;
  double startup_wait_s = 60;
  double request_timeout_s = 30;

  std::string endpoint() const;
};

// NETUID, SUBTENSOR_NETWORK, SUBTENSOR_ADDRESS; with `refreshing`, also the cache's timing.
void add_metagraph_options(CLI::App& command, MetagraphSettings& settings, bool refreshing);

// Validator stakes from the subnet metagraph, refreshed in the background. The constructor waits
// (at most startup_wait_s) for the first copy and throws Error(unavailable) saying why it has none.
class MetagraphStakes : public server::StakeSource {
 public:
  explicit MetagraphStakes(const MetagraphSettings& settings);
  std::optional<double> stake_of(const std::string& ss58_hotkey) const override;
  std::optional<RefreshState> refresh_state() const override;
  std::optional<server::MinerRegistration> registration_of(const std::string& ss58_hotkey) const override;

 private:
  chain::MetagraphCache cache_;
};

}  // namespace sn44::cli

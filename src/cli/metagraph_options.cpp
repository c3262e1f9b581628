#include "cli/metagraph_options.h"

#include <spdlog/spdlog.h>

#include "core/error.h"

namespace sn44::cli {
namespace {

std::chrono::milliseconds milliseconds(double seconds) { return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)); }

}  // namespace

std::string MetagraphSettings::endpoint() const { return chain::subtensor_endpoint(network, address); }

void add_metagraph_options(CLI::App& command, MetagraphSettings& settings, bool refreshing) {
  const std::string group = "Chain";
  command.add_option("--netuid", settings.netuid, "Subnet id")->envname("NETUID")->capture_default_str()->group(group);
  command.add_option("--subtensor-network", settings.network, "finney, test or local")
      ->envname("SUBTENSOR_NETWORK")->capture_default_str()->group(group);
  command.add_option("--subtensor-address", settings.address, "Subtensor WebSocket endpoint, ws:// or wss:// (overrides the network)")
      ->envname("SUBTENSOR_ADDRESS")->group(group);
  if (!refreshing) return;
  // At least 0.1 s: at 0 the refresher (and its retries) would download the metagraph back to back.
  command.add_option("--metagraph-refresh", settings.refresh_s, "Seconds between metagraph refreshes")
      ->envname("METAGRAPH_REFRESH_S")->capture_default_str()->check(CLI::Range(0.1, 1e9))->group(group);
  command.add_option("--metagraph-wait", settings.startup_wait_s, "Seconds to wait at start-up for the first metagraph")
      ->envname("METAGRAPH_WAIT_S")->capture_default_str()->group(group);
}

MetagraphStakes::MetagraphStakes(const MetagraphSettings& settings)
    : cache_(std::make_unique<chain::SubstrateClient>(settings.endpoint(), milliseconds(settings.request_timeout_s)),
             chain::MetagraphCache::Options{settings.netuid, milliseconds(settings.refresh_s),
                                            milliseconds(std::min(settings.refresh_s, 10.0))}) {
  const std::string node = chain::subtensor_display_address(settings.endpoint());
  spdlog::info("reading the metagraph of subnet {} from {}", settings.netuid, node);
  if (!cache_.wait_for_first(milliseconds(settings.startup_wait_s))) {
    const std::string cause = cache_.last_error();
    throw Error(ErrorKind::unavailable, "no metagraph from " + node + " within " +
                                            std::to_string(static_cast<int>(settings.startup_wait_s)) + " s" +
                                            (cause.empty() ? "" : ": " + cause) +
                                            " (set SUBTENSOR_ADDRESS, or STAKE_ALLOWLIST to use a file instead)");
  }
  spdlog::info("metagraph loaded: {} neurons", cache_.size());
}

std::optional<double> MetagraphStakes::stake_of(const std::string& ss58_hotkey) const {
  const std::optional<chain::Neuron> neuron = cache_.find(ss58_hotkey);
  if (!neuron) return std::nullopt;
  return neuron->tao_stake;
}

std::optional<server::MinerRegistration> MetagraphStakes::registration_of(const std::string& ss58_hotkey) const {
  const std::optional<chain::Neuron> neuron = cache_.find(ss58_hotkey);
  if (!neuron) return server::MinerRegistration{};
  return server::MinerRegistration{neuron->uid, neuron->axon_ip, neuron->axon_port};
}

std::optional<server::StakeSource::RefreshState> MetagraphStakes::refresh_state() const {
  const chain::MetagraphCache::Status status = cache_.status();
  return RefreshState{status.age_seconds, status.last_error, status.consecutive_failures};
}

}  // namespace sn44::cli

#pragma once
// The subnet metagraph kept in memory and refreshed in the background over one long-lived
// connection. The last good copy keeps serving while the node is unreachable; its age is exposed
// so operators can see when it goes stale.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "chain/metagraph.h"
#include "chain/substrate_client.h"

namespace sn44::chain {

// Reads the metagraph of `netuid` (SubnetInfoRuntimeApi_get_metagraph). Throws Error, including
// Error(not_found) when the subnet does not exist.
Metagraph fetch_metagraph(SubstrateClient& client, uint16_t netuid);

class MetagraphCache {
 public:
  struct Options {
    uint16_t netuid = 44;
    std::chrono::milliseconds refresh_interval{300000};  // METAGRAPH_REFRESH_S
    std::chrono::milliseconds retry_interval{10000};     // after a failed refresh
  };

  // Starts refreshing at once, in the background.
  MetagraphCache(std::unique_ptr<SubstrateClient> client, const Options& options);
  ~MetagraphCache();
  MetagraphCache(const MetagraphCache&) = delete;
  MetagraphCache& operator=(const MetagraphCache&) = delete;

  // Waits for the first copy; false when none arrived in time (see last_error()).
  bool wait_for_first(std::chrono::milliseconds limit);

  std::optional<Neuron> find(const std::string& ss58_hotkey) const;
  std::optional<double> age_seconds() const;  // nullopt before the first copy
  size_t size() const;
  std::string last_error() const;

 private:
  void refresh_loop(std::stop_token stop);

  struct Snapshot {
    Metagraph graph;
    std::unordered_map<std::string, size_t> by_hotkey;
    std::chrono::steady_clock::time_point fetched_at;
  };

  std::unique_ptr<SubstrateClient> client_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::string last_error_;
  std::jthread refresher_;
};

}  // namespace sn44::chain

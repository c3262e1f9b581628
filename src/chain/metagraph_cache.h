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
    // After a failed refresh the next try comes after retry_interval, doubling with every further
    // failure up to refresh_interval, so that a node that is down is not hammered.
    std::chrono::milliseconds retry_interval{10000};
  };

  // Starts refreshing at once, in the background.
  MetagraphCache(std::unique_ptr<SubstrateClient> client, const Options& options);
  // Stops the refresher, interrupting a request in progress, and joins it.
  ~MetagraphCache();
  MetagraphCache(const MetagraphCache&) = delete;
  MetagraphCache& operator=(const MetagraphCache&) = delete;

  // Waits for the first copy; false when none arrived in time (see last_error()).
  bool wait_for_first(std::chrono::milliseconds limit);

  // Cheap and thread-safe: looks up the current copy, which refreshes never modify in place.
  std::optional<Neuron> find(const std::string& ss58_hotkey) const;
  size_t size() const;
  std::string last_error() const;  // empty after a successful refresh

  // The refresher's state, read at once, for health reports.
  struct Status {
    std::optional<double> age_seconds;  // since the last successful refresh; nullopt before the first
    std::string last_error;             // why the latest attempt failed; empty when it succeeded
    int consecutive_failures = 0;       // failed attempts since the last success (or the start)
  };
  Status status() const;

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
  int consecutive_failures_ = 0;
  std::jthread refresher_;
};

}  // namespace sn44::chain

#include "chain/metagraph_cache.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/error.h"
#include "core/stop_wait.h"

namespace sn44::chain {

Metagraph fetch_metagraph(SubstrateClient& client, uint16_t netuid) {
  const std::vector<uint8_t> argument = {static_cast<uint8_t>(netuid), static_cast<uint8_t>(netuid >> 8)};
  std::optional<Metagraph> graph = decode_metagraph(client.state_call("SubnetInfoRuntimeApi_get_metagraph", argument));
  if (!graph) throw Error(ErrorKind::not_found, "subnet " + std::to_string(netuid) + " does not exist on " + client.display_address());
  return std::move(*graph);
}

MetagraphCache::MetagraphCache(std::unique_ptr<SubstrateClient> client, const Options& options)
    : client_(std::move(client)), options_(options), refresher_([this](std::stop_token stop) { refresh_loop(stop); }) {}

MetagraphCache::~MetagraphCache() {
  refresher_.request_stop();  // wakes the wait between refreshes
  client_->shut_down();       // ends a request in progress
  refresher_.join();
}

void MetagraphCache::refresh_loop(std::stop_token stop) {
  std::chrono::milliseconds retry = options_.retry_interval;
  while (!stop.stop_requested()) {
    std::chrono::milliseconds wait = options_.refresh_interval;
    try {
      auto snapshot = std::make_shared<Snapshot>();
      snapshot->graph = fetch_metagraph(*client_, options_.netuid);
      for (size_t i = 0; i < snapshot->graph.neurons.size(); ++i) snapshot->by_hotkey[snapshot->graph.neurons[i].hotkey] = i;
      snapshot->fetched_at = std::chrono::steady_clock::now();
      spdlog::debug("metagraph of subnet {} at block {}: {} neurons", options_.netuid, snapshot->graph.block,
                    snapshot->graph.neurons.size());
      const std::lock_guard lock(mutex_);
      snapshot_ = std::move(snapshot);
      last_error_.clear();
      consecutive_failures_ = 0;
      retry = options_.retry_interval;
    } catch (const std::exception& error) {  // sn44::Error, and library failures such as TLS set-up
      if (stop.stop_requested()) break;
      spdlog::warn("metagraph refresh failed (serving the last copy, next try in {} ms): {}", retry.count(), error.what());
      const std::lock_guard lock(mutex_);
      last_error_ = error.what();
      ++consecutive_failures_;
      wait = retry;
      retry = std::min(retry * 2, std::max(options_.refresh_interval, options_.retry_interval));
    }
    changed_.notify_all();
    sleep_unless_stopped(wait, stop);
  }
}

bool MetagraphCache::wait_for_first(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, limit, [this] { return snapshot_ != nullptr; });
}

std::optional<Neuron> MetagraphCache::find(const std::string& ss58_hotkey) const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    const std::lock_guard lock(mutex_);
    snapshot = snapshot_;
  }
  if (!snapshot) return std::nullopt;
  const auto it = snapshot->by_hotkey.find(ss58_hotkey);
  if (it == snapshot->by_hotkey.end()) return std::nullopt;
  return snapshot->graph.neurons[it->second];
}

size_t MetagraphCache::size() const {
  const std::lock_guard lock(mutex_);
  return snapshot_ ? snapshot_->graph.neurons.size() : 0;
}

std::string MetagraphCache::last_error() const {
  const std::lock_guard lock(mutex_);
  return last_error_;
}

MetagraphCache::Status MetagraphCache::status() const {
  const std::lock_guard lock(mutex_);
  Status status;
  if (snapshot_) status.age_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - snapshot_->fetched_at).count();
  status.last_error = last_error_;
  status.consecutive_failures = consecutive_failures_;
  return status;
}

}  // namespace sn44::chain

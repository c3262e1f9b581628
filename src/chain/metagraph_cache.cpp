#include "chain/metagraph_cache.h"

#include <spdlog/spdlog.h>

#include "core/error.h"

namespace sn44::chain {

Metagraph fetch_metagraph(SubstrateClient& client, uint16_t netuid) {
  const std::vector<uint8_t> argument = {static_cast<uint8_t>(netuid), static_cast<uint8_t>(netuid >> 8)};
  std::optional<Metagraph> graph = decode_metagraph(client.state_call("SubnetInfoRuntimeApi_get_metagraph", argument));
  if (!graph) throw Error(ErrorKind::not_found, "subnet " + std::to_string(netuid) + " does not exist on " + client.url());
  return std::move(*graph);
}

MetagraphCache::MetagraphCache(std::unique_ptr<SubstrateClient> client, const Options& options)
    : client_(std::move(client)), options_(options), refresher_([this](std::stop_token stop) { refresh_loop(stop); }) {}

MetagraphCache::~MetagraphCache() {
  refresher_.request_stop();
  changed_.notify_all();
}

void MetagraphCache::refresh_loop(std::stop_token stop) {
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
    } catch (const Error& error) {
      spdlog::warn("metagraph refresh failed (serving the last copy): {}", error.what());
      const std::lock_guard lock(mutex_);
      last_error_ = error.what();
      wait = options_.retry_interval;
    }
    changed_.notify_all();
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, stop, wait, [] { return false; });
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

std::optional<double> MetagraphCache::age_seconds() const {
  const std::lock_guard lock(mutex_);
  if (!snapshot_) return std::nullopt;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - snapshot_->fetched_at).count();
}

size_t MetagraphCache::size() const {
  const std::lock_guard lock(mutex_);
  return snapshot_ ? snapshot_->graph.neurons.size() : 0;
}

std::string MetagraphCache::last_error() const {
  const std::lock_guard lock(mutex_);
  return last_error_;
}

}  // namespace sn44::chain

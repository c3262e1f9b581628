#pragma once
// A JSON-RPC client for a subtensor node over one long-lived WebSocket (ws:// or wss:// with
// certificate and host name verification): request ids, a time limit on every exchange, a fresh
// connection after any failure, and a second try on a fresh one when a kept one was lost.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sn44::chain {

// SUBTENSOR_ADDRESS when given, else the standard endpoint of SUBTENSOR_NETWORK (finney, test,
// local). Throws Error(invalid_argument) for an unknown network.
std::string subtensor_endpoint(const std::string& network, const std::string& address);

// "ws[s]://host:port" of a subtensor address: how errors and logs name the node. The path, the
// query and any user part are left out: RPC providers put access keys there, and the errors reach
// /health, which needs no authentication. An address that is not ws:// or wss:// comes back as is.
std::string subtensor_display_address(const std::string& url);

class SubstrateClient {
 public:
  explicit SubstrateClient(std::string url, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~SubstrateClient();
  SubstrateClient(const SubstrateClient&) = delete;
  SubstrateClient& operator=(const SubstrateClient&) = delete;

  // The "result" of a JSON-RPC call. Throws Error: invalid_argument (bad URL), unavailable (cannot
  // connect, connection lost), timeout (no answer in time), corrupt_data (not a JSON-RPC answer),
  // internal (the node answered with a JSON-RPC error, its message included). Thread-safe.
  nlohmann::json call(const std::string& method, const nlohmann::json& params);

  // state_call of a runtime API method with a SCALE argument; returns the SCALE answer.
  std::vector<uint8_t> state_call(const std::string& runtime_method, const std::vector<uint8_t>& argument);

  // The node as errors name it (subtensor_display_address).
  const std::string& display_address() const { return display_address_; }

  // Ends the call in progress within a fraction of a second and makes every later call fail with
  // Error(unavailable), so that an owner can stop without waiting for a slow node. Thread-safe.
  void shut_down() { shutting_down_ = true; }

 private:
  class Connection;
  std::string url_;
  std::string display_address_;
  std::chrono::milliseconds timeout_;
  std::atomic<bool> shutting_down_{false};
  std::mutex mutex_;
  std::unique_ptr<Connection> connection_;
  int64_t next_id_ = 1;
};

}  // namespace sn44::chain

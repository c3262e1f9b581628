#pragma once
// A subtensor node for the tests: WebSocket JSON-RPC on a loopback port, answering state_call with
// the metagraph it is given (or a JSON-RPC error, or nothing at all). It can be stopped and started
// again on the same port, like a node going away and coming back.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sn44::chain::testing {

class FakeSubtensor {
 public:
  // answer: the metagraph; rpc_error: a JSON-RPC error object; silent: nothing; garbage: text that
  // is not JSON; bad_hex: a result that is not hex; wrong_id: the answer to another request.
  enum class Mode { answer, rpc_error, silent, garbage, bad_hex, wrong_id };

  FakeSubtensor();  // listening on a free port
  ~FakeSubtensor();

  void set_metagraph(std::vector<uint8_t> scale);  // what state_call answers
  void set_mode(Mode mode);
  void drop_connections();  // closes every connection and goes on listening, as a node does with idle ones
  void stop();              // closes the port and every connection
  void start();             // listens again on the same port

  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  int calls() const { return calls_.load(); }
  int connections() const { return connections_.load(); }  // WebSocket connections accepted so far
  std::string last_request() const;  // the last JSON-RPC request text
  std::string last_host() const;     // the Host header of the last WebSocket handshake

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  std::atomic<int> calls_{0};
  std::atomic<int> connections_{0};
};

}  // namespace sn44::chain::testing

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
  enum class Mode { answer, rpc_error, silent, garbage };

  FakeSubtensor();  // listening on a free port
  ~FakeSubtensor();

  void set_metagraph(std::vector<uint8_t> scale);  // what state_call answers
  void set_mode(Mode mode);
  void stop();   // closes the port and every connection
  void start();  // listens again on the same port

  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  int calls() const { return calls_.load(); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  std::atomic<int> calls_{0};
};

}  // namespace sn44::chain::testing

#pragma once
// The chain's record of the miner's own hotkey. Validators send challenges only to miners
// registered on the subnet, at the axon address the miner posted; a miner that is not, or posted
// another port, waits for challenges that never come. The start-up log, /health and /metrics say so.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace sn44::server {

struct MinerRegistration {
  std::optional<uint16_t> uid;  // nullopt: the hotkey is not registered on the subnet
  std::string axon_ip;          // empty: no axon address posted
  uint16_t axon_port = 0;

  bool operator==(const MinerRegistration&) const = default;
};

// What keeps validators from reaching this miner, in a sentence; nullopt when nothing does.
// `listening_port` is the port the HTTP server is bound to.
std::optional<std::string> registration_problem(const std::string& ss58_hotkey, const MinerRegistration& registration,
                                                uint16_t listening_port);

// "203.0.113.5:8091" ("[2001:db8::1]:8091" for IPv6), or "" without an address.
std::string axon_address(const MinerRegistration& registration);

// Looks up the miner's registration now and then every `interval`, and reports it the first time
// and whenever it changes: miners are deregistered while they run (pruned for low scores), and
// the operator should read it in the log, not only in /metrics.
class RegistrationWatch {
 public:
  // `lookup` returns the chain's current record (nullopt: unknown, nothing is reported).
  using Lookup = std::function<std::optional<MinerRegistration>()>;
  using Report = std::function<void(const MinerRegistration& registration)>;
  RegistrationWatch(Lookup lookup, Report report, std::chrono::milliseconds interval);

 private:
  std::jthread thread_;
};

}  // namespace sn44::server

#include "server/registration.h"

#include <stop_token>

#include "core/stop_wait.h"

namespace sn44::server {

std::string axon_address(const MinerRegistration& registration) {
  if (registration.axon_ip.empty()) return {};
  const bool ipv6 = registration.axon_ip.find(':') != std::string::npos;
  return (ipv6 ? "[" + registration.axon_ip + "]" : registration.axon_ip) + ":" + std::to_string(registration.axon_port);
}

std::optional<std::string> registration_problem(const std::string& ss58_hotkey, const MinerRegistration& registration,
                                                uint16_t listening_port) {
  if (!registration.uid) {
    return "hotkey " + ss58_hotkey + " is not registered on the subnet: validators send it no challenges until it is";
  }
  const std::string uid = "uid " + std::to_string(*registration.uid);
  if (registration.axon_ip.empty() || registration.axon_port == 0) {
    return uid + " has no axon address on the chain: validators cannot reach it until the miner's IP and port are posted";
  }
  if (registration.axon_port != listening_port) {
    return uid + "'s axon on the chain is " + axon_address(registration) + " but this miner listens on port " +
           std::to_string(listening_port) + ": validators call " + std::to_string(registration.axon_port) +
           " (fine only behind a proxy or port forward to " + std::to_string(listening_port) + ")";
  }
  return std::nullopt;
}

RegistrationWatch::RegistrationWatch(Lookup lookup, Report report, std::chrono::milliseconds interval)
    : thread_([lookup = std::move(lookup), report = std::move(report), interval](std::stop_token stop) {
        std::optional<MinerRegistration> reported;
        do {
          const std::optional<MinerRegistration> current = lookup();
          if (current && current != reported) {
            report(*current);
            reported = current;
          }
        } while (sleep_unless_stopped(interval, stop));
      }) {}

}  // namespace sn44::server

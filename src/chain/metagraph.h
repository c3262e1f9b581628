#pragma once
// The subnet metagraph as SubnetInfoRuntimeApi_get_metagraph returns it (SCALE
// `Option<Metagraph>`), reduced to what the miner uses: who is registered, with which stake,
// validator permit and axon. The decoder walks every field of the struct so that a layout change is
// detected (the data must end exactly where the struct does) rather than misread.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sn44::chain {

struct Neuron {
  uint16_t uid = 0;
  std::string hotkey;   // SS58, format 42
  std::string coldkey;  // SS58, format 42
  double tao_stake = 0;    // TAO
  double alpha_stake = 0;  // alpha units (raw / 1e9)
  double total_stake = 0;
  bool validator_permit = false;
  bool active = false;
  std::string axon_ip;  // dotted IPv4 or IPv6 text; empty when not served
  uint16_t axon_port = 0;
};

struct Metagraph {
  uint16_t netuid = 0;
  uint64_t block = 0;
  int identity_version = 0;  // 2 or 3 (V3 adds logo_url); 0 when the subnet has no identity
  std::vector<Neuron> neurons;
};

// Decodes `Option<Metagraph>`; nullopt for None (no such subnet). Throws Error(corrupt_data)
// naming the field that cannot be read.
std::optional<Metagraph> decode_metagraph(std::span<const uint8_t> data);

}  // namespace sn44::chain

#pragma once
// The subnet metagraph as SubnetInfoRuntimeApi_get_metagraph returns it (SCALE
// `Option<Metagraph>`): every field of the runtime struct as sent (`RuntimeMetagraph`), and the
// per-neuron view the miner uses (who is registered, with which stake, validator permit and axon).
// The decoder walks every field in order so that a layout change is detected (the data must end
// exactly where the struct does) rather than misread.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chain/scale.h"

namespace sn44::chain {

using AccountId = std::array<uint8_t, 32>;

// Named byte-string fields in chain order (subnet and neuron identities); values are raw bytes.
using ByteFields = std::vector<std::pair<std::string_view, std::string>>;

// Fixed-width little-endian in SCALE (34 bytes), not compact.
struct AxonInfo {
  uint64_t block = 0;
  uint32_t version = 0;
  U128 ip;
  uint16_t port = 0;
  uint8_t ip_type = 0;  // 4 or 6
  uint8_t protocol = 0;
  uint8_t placeholder1 = 0;
  uint8_t placeholder2 = 0;
};

// Every field of the runtime's Metagraph struct. Runs of same-typed fields are kept as
// (runtime field name, value) lists in chain order, so the layout reads as one table in the decoder.
struct RuntimeMetagraph {
  uint16_t netuid = 0;
  std::string name, symbol;  // Vec<Compact<u8>>
  std::optional<ByteFields> identity;  // SubnetIdentityV2 (7 fields) or V3 (8, with logo_url)
  AccountId owner_hotkey{}, owner_coldkey{};
  std::vector<std::pair<std::string_view, U128>> scalars;  // every compact field, block included
  U128 moving_price_bits;  // I96F32: two's-complement i128, 32 fractional bits
  std::vector<std::pair<std::string_view, bool>> flags;
  std::vector<AccountId> hotkeys, coldkeys;
  std::vector<std::optional<ByteFields>> identities;  // ChainIdentityV2 per uid
  std::vector<AxonInfo> axons;
  std::vector<bool> active, validator_permit;
  std::vector<std::pair<std::string_view, std::vector<U128>>> per_uid;  // pruning_score ... total_stake
  std::vector<std::pair<AccountId, U128>> tao_dividends_per_hotkey, alpha_dividends_per_hotkey;

  // The scalar or per-uid vector of that runtime name; Error(internal) for a name not in the layout.
  const U128& scalar(std::string_view field) const;
  const std::vector<U128>& per_uid_values(std::string_view field) const;
  double moving_price() const;
};

struct Neuron {
  uint16_t uid = 0;
  std::string hotkey;   // SS58, format 42
  std::string coldkey;  // SS58, format 42; empty when the chain sent no coldkey for this uid
  double tao_stake = 0;    // TAO (raw RAO / 1e9)
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
  std::vector<Neuron> neurons;  // by uid; the hotkeys define the uids
  RuntimeMetagraph runtime;
};

// Decodes `Option<Metagraph>`; nullopt for None (no such subnet). Throws Error(corrupt_data)
// naming the field that cannot be read and its offset.
std::optional<Metagraph> decode_metagraph(std::span<const uint8_t> data);

// Text of an axon address: dotted IPv4, full IPv6; empty for 0 (not served).
std::string axon_ip_text(const AxonInfo& axon);

}  // namespace sn44::chain

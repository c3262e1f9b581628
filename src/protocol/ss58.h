#pragma once
// SS58 addresses (Substrate): base58 of prefix || public key || 2 checksum bytes of
// blake2b-512("SS58PRE" || prefix || key). Bittensor uses format 42.

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/sr25519.h"

namespace sn44::protocol {

inline constexpr uint16_t kBittensorSs58Format = 42;

struct Ss58Address {
  uint16_t format = 0;
  PublicKey public_key{};
};

// Formats 0..16383 (one prefix byte under 64, two bytes above).
std::string ss58_encode(const PublicKey& public_key, uint16_t format = kBittensorSs58Format);

// Decodes an address of a 32-byte key in any format and checks its checksum. Throws
// Error(invalid_argument) saying what is wrong.
Ss58Address ss58_decode(std::string_view address);

}  // namespace sn44::protocol

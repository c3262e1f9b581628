#pragma once
// Hex text <-> bytes, with or without a 0x prefix (libsodium's constant-time codecs underneath).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sn44::protocol {

std::string to_hex(std::span<const uint8_t> bytes);  // lowercase, no prefix

// nullopt unless `text` is an even number of hex digits, optionally after "0x".
std::optional<std::vector<uint8_t>> from_hex(std::string_view text);

}  // namespace sn44::protocol

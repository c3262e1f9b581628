#pragma once
// The bytes of a text, for the transcripts and signatures that take byte strings.

#include <cstdint>
#include <span>
#include <string_view>

namespace sn44::protocol {

inline std::span<const uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace sn44::protocol

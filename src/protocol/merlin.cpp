#include "protocol/merlin.h"

#include <array>
#include <stdexcept>

#include "protocol/bytes.h"

namespace sn44::protocol {
namespace {

std::array<uint8_t, 4> u32_le(size_t value) {
  if (value > 0xffffffffu) throw std::length_error("Merlin: message longer than 4 GiB");
  return {static_cast<uint8_t>(value), static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value >> 16),
          static_cast<uint8_t>(value >> 24)};
}

}  // namespace

Transcript::Transcript(std::string_view label) : strobe_("Merlin v1.0") {
  append_message("dom-sep", bytes_of(label));
}

void Transcript::append_message(std::string_view label, std::span<const uint8_t> message) {
  strobe_.meta_ad(bytes_of(label), false);
  strobe_.meta_ad(u32_le(message.size()), true);
  strobe_.ad(message, false);
}

void Transcript::append_message(std::string_view label, std::string_view message) {
  append_message(label, bytes_of(message));
}

std::vector<uint8_t> Transcript::challenge_bytes(std::string_view label, size_t length) {
  strobe_.meta_ad(bytes_of(label), false);
  strobe_.meta_ad(u32_le(length), true);
  return strobe_.prf(length, false);
}

std::vector<uint8_t> Transcript::witness_bytes(std::string_view label, std::span<const uint8_t> witness,
                                               std::span<const uint8_t> entropy) const {
  Strobe128 rng = strobe_;
  rng.meta_ad(bytes_of(label), false);
  rng.meta_ad(u32_le(witness.size()), true);
  rng.key(witness, false);
  rng.meta_ad(bytes_of("rng"), false);
  rng.key(entropy, false);
  constexpr size_t kLength = 64;
  rng.meta_ad(u32_le(kLength), false);
  return rng.prf(kLength, false);
}

}  // namespace sn44::protocol

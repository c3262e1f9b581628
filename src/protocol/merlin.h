#pragma once
// Merlin transcripts (merlin.cool, v1.0) over STROBE-128: the Fiat-Shamir transcript schnorrkel's
// sr25519 signatures are defined with. Written here because no Debian package provides Merlin.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/strobe.h"

namespace sn44::protocol {

class Transcript {
 public:
  explicit Transcript(std::string_view label);

  void append_message(std::string_view label, std::span<const uint8_t> message);
  void append_message(std::string_view label, std::string_view message);
  std::vector<uint8_t> challenge_bytes(std::string_view label, size_t length);

  // A 64-byte value derived from the transcript so far, `witness` and `entropy` (secret nonce
  // derivation for signing; the transcript itself is left unchanged).
  std::vector<uint8_t> witness_bytes(std::string_view label, std::span<const uint8_t> witness,
                                     std::span<const uint8_t> entropy) const;

 private:
  Strobe128 strobe_;
};

}  // namespace sn44::protocol

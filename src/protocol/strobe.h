#pragma once
// STROBE-128 (strobe.sourceforge.io, v1.0.2), the subset Merlin transcripts use: meta-AD, AD, PRF
// and KEY operations. Written here because no Debian package provides STROBE.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/keccak.h"

namespace sn44::protocol {

class Strobe128 {
 public:
  explicit Strobe128(std::string_view protocol_label);

  void meta_ad(std::span<const uint8_t> data, bool more);
  void ad(std::span<const uint8_t> data, bool more);
  std::vector<uint8_t> prf(size_t length, bool more);
  void key(std::span<const uint8_t> data, bool more);

 private:
  static constexpr size_t kRate = 166;

  void run_f();
  void absorb(std::span<const uint8_t> data);
  void overwrite(std::span<const uint8_t> data);
  void squeeze(std::span<uint8_t> out);
  void begin_op(uint8_t flags, bool more);
  uint8_t& byte(size_t index);

  KeccakState state_{};
  size_t pos_ = 0;
  size_t pos_begin_ = 0;
  uint8_t current_flags_ = 0;
};

}  // namespace sn44::protocol

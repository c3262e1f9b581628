#include "protocol/strobe.h"

#include <bit>
#include <stdexcept>

#include "protocol/bytes.h"

namespace sn44::protocol {
namespace {

constexpr uint8_t kFlagI = 1, kFlagA = 2, kFlagC = 4, kFlagT = 8, kFlagM = 16, kFlagK = 32;
}  // namespace

// The state is kept as 25 lanes for the permutation and addressed byte by byte (little-endian
// lanes) by the duplex operations.
uint8_t& Strobe128::byte(size_t index) {
  static_assert(std::endian::native == std::endian::little, "STROBE's byte view of the lanes assumes little-endian");
  return reinterpret_cast<uint8_t*>(state_.data())[index];
}

Strobe128::Strobe128(std::string_view protocol_label) {
  const std::array<uint8_t, 18> init = {1, kRate + 2, 1, 0, 1, 96, 'S', 'T', 'R', 'O', 'B', 'E', 'v', '1', '.', '0', '.', '2'};
  for (size_t i = 0; i < init.size(); ++i) byte(i) = init[i];
  keccak_f1600(state_);
  meta_ad(bytes_of(protocol_label), false);
}

void Strobe128::run_f() {
  byte(pos_) ^= static_cast<uint8_t>(pos_begin_);
  byte(pos_ + 1) ^= 0x04;
  byte(kRate + 1) ^= 0x80;
  keccak_f1600(state_);
  pos_ = 0;
  pos_begin_ = 0;
}

void Strobe128::absorb(std::span<const uint8_t> data) {
  for (const uint8_t b : data) {
    byte(pos_++) ^= b;
    if (pos_ == kRate) run_f();
  }
}

void Strobe128::overwrite(std::span<const uint8_t> data) {
  for (const uint8_t b : data) {
    byte(pos_++) = b;
    if (pos_ == kRate) run_f();
  }
}

void Strobe128::squeeze(std::span<uint8_t> out) {
  for (uint8_t& b : out) {
    b = byte(pos_);
    byte(pos_++) = 0;
    if (pos_ == kRate) run_f();
  }
}

void Strobe128::begin_op(uint8_t flags, bool more) {
  if (more) {
    if (flags != current_flags_) throw std::logic_error("STROBE: continued operation with different flags");
    return;
  }
  if (flags & kFlagT) throw std::logic_error("STROBE: transport operations are not supported");
  const auto old_begin = static_cast<uint8_t>(pos_begin_);
  pos_begin_ = pos_ + 1;
  current_flags_ = flags;
  absorb(std::array<uint8_t, 2>{old_begin, flags});
  if ((flags & (kFlagC | kFlagK)) != 0 && pos_ != 0) run_f();
}

void Strobe128::meta_ad(std::span<const uint8_t> data, bool more) {
  begin_op(kFlagM | kFlagA, more);
  absorb(data);
}

void Strobe128::ad(std::span<const uint8_t> data, bool more) {
  begin_op(kFlagA, more);
  absorb(data);
}

std::vector<uint8_t> Strobe128::prf(size_t length, bool more) {
  begin_op(kFlagI | kFlagA | kFlagC, more);
  std::vector<uint8_t> out(length);
  squeeze(out);
  return out;
}

void Strobe128::key(std::span<const uint8_t> data, bool more) {
  begin_op(kFlagA | kFlagC, more);
  overwrite(data);
}

}  // namespace sn44::protocol

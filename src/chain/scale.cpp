#include "chain/scale.h"

#include "core/error.h"

namespace sn44::chain {

std::string U128::to_string() const {
  // Long division by 10 over four 32-bit limbs, most significant first.
  std::array<uint64_t, 4> limbs = {high >> 32, high & 0xffffffff, low >> 32, low & 0xffffffff};
  std::string digits;
  while (std::any_of(limbs.begin(), limbs.end(), [](uint64_t limb) { return limb != 0; })) {
    uint64_t remainder = 0;
    for (uint64_t& limb : limbs) {
      const uint64_t current = (remainder << 32) | limb;
      limb = current / 10;
      remainder = current % 10;
    }
    digits.push_back(static_cast<char>('0' + remainder));
  }
  if (digits.empty()) return "0";
  return {digits.rbegin(), digits.rend()};
}

void ScaleReader::fail(const std::string& what) const {
  const std::string where = field_.empty() ? "SCALE data" : "field '" + std::string(field_) + "'";
  throw Error(ErrorKind::corrupt_data, where + " at byte " + std::to_string(offset_) + " of " + std::to_string(data_.size()) + ": " + what);
}

std::span<const uint8_t> ScaleReader::bytes(size_t count) {
  if (count > remaining()) fail("expected " + std::to_string(count) + " more bytes, " + std::to_string(remaining()) + " left");
  const auto out = data_.subspan(offset_, count);
  offset_ += count;
  return out;
}

uint64_t ScaleReader::little_endian(size_t width) {
  const auto source = bytes(width);
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= static_cast<uint64_t>(source[i]) << (8 * i);
  return value;
}

uint8_t ScaleReader::u8() { return static_cast<uint8_t>(little_endian(1)); }
uint16_t ScaleReader::u16() { return static_cast<uint16_t>(little_endian(2)); }
uint32_t ScaleReader::u32() { return static_cast<uint32_t>(little_endian(4)); }
uint64_t ScaleReader::u64() { return little_endian(8); }

U128 ScaleReader::u128() {
  U128 value;
  value.low = u64();
  value.high = u64();
  return value;
}

bool ScaleReader::boolean() {
  const uint8_t value = u8();
  if (value > 1) fail("a bool must be 0 or 1, found " + std::to_string(value));
  return value == 1;
}

bool ScaleReader::option() {
  const uint8_t tag = u8();
  if (tag > 1) fail("an Option tag must be 0 or 1, found " + std::to_string(tag));
  return tag == 1;
}

U128 ScaleReader::compact() {
  if (remaining() == 0) fail("expected a compact integer");
  const uint8_t first = data_[offset_];
  switch (first & 3) {
    case 0: return {static_cast<uint64_t>(u8() >> 2), 0};
    case 1: return {static_cast<uint64_t>(u16() >> 2), 0};
    case 2: return {static_cast<uint64_t>(u32() >> 2), 0};
    default: break;
  }
  const size_t length = static_cast<size_t>(first >> 2) + 4;
  if (length > 16) fail("compact integer of " + std::to_string(length) + " bytes is over 128 bits");
  if (remaining() < 1 + length)
    fail("compact integer of " + std::to_string(length) + " bytes after its prefix, " + std::to_string(remaining() - 1) + " left");
  u8();
  const auto source = bytes(length);
  U128 value;
  for (size_t i = 0; i < length; ++i) {
    if (i < 8) {
      value.low |= static_cast<uint64_t>(source[i]) << (8 * i);
    } else {
      value.high |= static_cast<uint64_t>(source[i]) << (8 * (i - 8));
    }
  }
  return value;
}

uint64_t ScaleReader::compact_at_most(uint64_t max) {
  const size_t start = offset_;
  const U128 value = compact();
  if (value.high != 0 || value.low > max) {
    offset_ = start;  // report the offset where the value starts
    fail("compact integer " + value.to_string() + " is over " + std::to_string(max));
  }
  return value.low;
}

size_t ScaleReader::vector_length(size_t min_item_bytes) {
  const size_t start = offset_;
  const uint64_t count = compact_at_most(UINT64_MAX);
  if (count > remaining() / std::max<size_t>(min_item_bytes, 1)) {
    const size_t left = remaining();
    offset_ = start;  // report the offset where the length starts
    fail("vector claims " + std::to_string(count) + " items but only " + std::to_string(left) + " bytes follow");
  }
  return static_cast<size_t>(count);
}

std::span<const uint8_t> ScaleReader::byte_vector() { return bytes(vector_length(1)); }

}  // namespace sn44::chain

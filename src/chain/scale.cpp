#include "chain/scale.h"

#include "core/error.h"

namespace sn44::chain {

void ScaleReader::fail(const std::string& what) const {
  throw Error(ErrorKind::corrupt_data, "SCALE data: " + what + " at byte " + std::to_string(offset_) + " of " + std::to_string(data_.size()));
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
  u8();
  const size_t length = static_cast<size_t>(first >> 2) + 4;
  if (length > 16) fail("compact integer of " + std::to_string(length) + " bytes is over 128 bits");
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

uint64_t ScaleReader::compact_u64() {
  const U128 value = compact();
  if (value.high != 0) fail("compact integer does not fit 64 bits");
  return value.low;
}

size_t ScaleReader::vector_length(size_t min_item_bytes) {
  const uint64_t count = compact_u64();
  if (min_item_bytes > 0 && count > remaining() / min_item_bytes)
    fail("vector claims " + std::to_string(count) + " items but only " + std::to_string(remaining()) + " bytes are left");
  return static_cast<size_t>(count);
}

std::span<const uint8_t> ScaleReader::byte_vector() { return bytes(vector_length(1)); }

}  // namespace sn44::chain

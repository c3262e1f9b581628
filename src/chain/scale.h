#pragma once
// Reading SCALE (Substrate's binary encoding): fixed-width little-endian integers, compact
// integers in all four modes (up to 128 bits), booleans, options and vector lengths. Every read is
// bounds-checked and throws Error(corrupt_data) naming the field being read (set_field) and the
// offset; a vector length is checked against the bytes left before anything is allocated. Written
// here because no Debian package provides a C++ SCALE codec.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace sn44::chain {

// An unsigned 128-bit value (compacts and u128 fields), without compiler extensions.
struct U128 {
  uint64_t low = 0;
  uint64_t high = 0;
  double to_double() const { return static_cast<double>(high) * 18446744073709551616.0 + static_cast<double>(low); }
  std::string to_string() const;  // decimal
  bool operator==(const U128&) const = default;
};

class ScaleReader {
 public:
  explicit ScaleReader(std::span<const uint8_t> data) : data_(data) {}

  // Names the field the next reads belong to, for error messages; must outlive the reads
  // (string literals).
  void set_field(std::string_view name) { field_ = name; }

  uint8_t u8();
  uint16_t u16();
  uint32_t u32();
  uint64_t u64();
  U128 u128();
  bool boolean();
  U128 compact();
  // A compact that must not exceed `max` (Compact<u8>, Compact<u16>, lengths, block numbers).
  uint64_t compact_at_most(uint64_t max);
  // `Option<T>`: true when a value follows.
  bool option();
  // A vector's item count, checked against the bytes left: each item takes at least
  // `min_item_bytes` (at least 1).
  size_t vector_length(size_t min_item_bytes);
  std::span<const uint8_t> bytes(size_t count);
  template <size_t N>
  std::array<uint8_t, N> fixed() {
    std::array<uint8_t, N> out{};
    const auto source = bytes(N);
    std::copy(source.begin(), source.end(), out.begin());
    return out;
  }
  // `Vec<u8>`
  std::span<const uint8_t> byte_vector();

  size_t offset() const { return offset_; }
  size_t remaining() const { return data_.size() - offset_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  uint64_t little_endian(size_t width);

  std::span<const uint8_t> data_;
  size_t offset_ = 0;
  std::string_view field_;
};

}  // namespace sn44::chain

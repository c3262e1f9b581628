#pragma once
// Reading SCALE (Substrate's binary encoding): fixed-width little-endian integers, compact
// integers in all four modes (up to 128 bits), booleans, options and vector lengths. Every read is
// bounds-checked and throws Error(corrupt_data) saying what was expected at which offset; a vector
// length is checked against the bytes left before anything is allocated. Written here because no
// Debian package provides a C++ SCALE codec.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace sn44::chain {

// An unsigned 128-bit value (compacts and u128 fields), without compiler extensions.
struct U128 {
  uint64_t low = 0;
  uint64_t high = 0;
  double to_double() const { return static_cast<double>(high) * 18446744073709551616.0 + static_cast<double>(low); }
  bool operator==(const U128&) const = default;
};

class ScaleReader {
 public:
  explicit ScaleReader(std::span<const uint8_t> data) : data_(data) {}

  uint8_t u8();
  uint16_t u16();
  uint32_t u32();
  uint64_t u64();
  U128 u128();
  bool boolean();
  U128 compact();
  // A compact that must fit 64 bits (lengths, block numbers).
  uint64_t compact_u64();
  // `Option<T>`: true when a value follows.
  bool option();
  // A vector's item count, checked against the bytes left: each item takes at least
  // `min_item_bytes`.
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

 private:
  [[noreturn]] void fail(const std::string& what) const;
  uint64_t little_endian(size_t width);

  std::span<const uint8_t> data_;
  size_t offset_ = 0;
};

}  // namespace sn44::chain

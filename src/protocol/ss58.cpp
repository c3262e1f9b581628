#include "protocol/ss58.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <vector>

#include "core/error.h"

namespace sn44::protocol {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr size_t kChecksumLength = 2;

// Base58 (Bitcoin alphabet) by repeated division: addresses are under 50 characters, so the
// quadratic schoolbook method is fine. Written here because Debian's only base58 library is not
// installed by default and this is a few lines.
std::string base58_encode(const std::vector<uint8_t>& bytes) {
  std::vector<uint8_t> digits;  // base 58, least significant first
  for (const uint8_t byte : bytes) {
    unsigned carry = byte;
    for (uint8_t& digit : digits) {
      carry += static_cast<unsigned>(digit) << 8;
      digit = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    for (; carry > 0; carry /= 58) digits.push_back(static_cast<uint8_t>(carry % 58));
  }
  std::string text(static_cast<size_t>(std::find_if(bytes.begin(), bytes.end(), [](uint8_t b) { return b != 0; }) - bytes.begin()), '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) text += kAlphabet[*it];
  return text;
}

std::vector<uint8_t> base58_decode(std::string_view text) {
  std::vector<uint8_t> bytes;  // base 256, least significant first
  for (const char c : text) {
    const size_t value = kAlphabet.find(c);
    if (value == std::string_view::npos) throw Error(ErrorKind::invalid_argument, std::string("SS58 address has a character outside base58: '") + c + "'");
    unsigned carry = static_cast<unsigned>(value);
    for (uint8_t& byte : bytes) {
      carry += static_cast<unsigned>(byte) * 58;
      byte = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    for (; carry > 0; carry >>= 8) bytes.push_back(static_cast<uint8_t>(carry & 0xff));
  }
  const size_t leading_ones = static_cast<size_t>(std::find_if(text.begin(), text.end(), [](char c) { return c != '1'; }) - text.begin());
  bytes.insert(bytes.end(), leading_ones, 0);
  std::reverse(bytes.begin(), bytes.end());
  return bytes;
}

std::array<uint8_t, 64> checksum_hash(std::span<const uint8_t> payload) {
  if (sodium_init() < 0) throw Error(ErrorKind::internal, "libsodium failed to initialise");
  constexpr std::string_view kPrefix = "SS58PRE";
  crypto_generichash_blake2b_state state;
  std::array<uint8_t, 64> hash{};
  crypto_generichash_blake2b_init(&state, nullptr, 0, hash.size());
  crypto_generichash_blake2b_update(&state, reinterpret_cast<const uint8_t*>(kPrefix.data()), kPrefix.size());
  crypto_generichash_blake2b_update(&state, payload.data(), payload.size());
  crypto_generichash_blake2b_final(&state, hash.data(), hash.size());
  return hash;
}

std::vector<uint8_t> prefix_bytes(uint16_t format) {
  if (format < 64) return {static_cast<uint8_t>(format)};
  if (format >= 16384) throw Error(ErrorKind::invalid_argument, "SS58 format " + std::to_string(format) + " is over 16383");
  return {static_cast<uint8_t>(((format & 0xfc) >> 2) | 0x40), static_cast<uint8_t>((format >> 8) | ((format & 3) << 6))};
}

}  // namespace

std::string ss58_encode(const PublicKey& public_key, uint16_t format) {
  std::vector<uint8_t> payload = prefix_bytes(format);
  payload.insert(payload.end(), public_key.begin(), public_key.end());
  const auto hash = checksum_hash(payload);
  payload.insert(payload.end(), hash.begin(), hash.begin() + kChecksumLength);
  return base58_encode(payload);
}

Ss58Address ss58_decode(std::string_view address) {
  if (address.empty() || address.size() > 64) throw Error(ErrorKind::invalid_argument, "SS58 address has an impossible length");
  const std::vector<uint8_t> bytes = base58_decode(address);
  Ss58Address result;
  size_t prefix_length = 1;
  if (bytes.empty()) throw Error(ErrorKind::invalid_argument, "SS58 address is empty");
  if (bytes[0] < 64) {
    result.format = bytes[0];
  } else if (bytes[0] < 128 && bytes.size() > 1) {
    prefix_length = 2;
    result.format = static_cast<uint16_t>((((bytes[0] & 0x3f) << 2) | (bytes[1] >> 6)) | ((bytes[1] & 0x3f) << 8));
  } else {
    throw Error(ErrorKind::invalid_argument, "SS58 address has an invalid prefix byte");
  }
  if (bytes.size() != prefix_length + result.public_key.size() + kChecksumLength)
    throw Error(ErrorKind::invalid_argument, "SS58 address does not hold a 32-byte public key");
  const std::span<const uint8_t> payload(bytes.data(), prefix_length + result.public_key.size());
  const auto hash = checksum_hash(payload);
  if (!std::equal(hash.begin(), hash.begin() + kChecksumLength, bytes.end() - kChecksumLength))
    throw Error(ErrorKind::invalid_argument, "SS58 address checksum does not match");
  std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(prefix_length), result.public_key.size(), result.public_key.begin());
  return result;
}

}  // namespace sn44::protocol

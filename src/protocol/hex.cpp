#include "protocol/hex.h"

#include <sodium.h>

namespace sn44::protocol {

std::string to_hex(std::span<const uint8_t> bytes) {
  std::string text(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(text.data(), text.size(), bytes.data(), bytes.size());
  text.pop_back();
  return text;
}

std::optional<std::vector<uint8_t>> from_hex(std::string_view text) {
  if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
  if (text.size() % 2 != 0) return std::nullopt;
  // libsodium declares its buffers non-null: an empty vector has no data pointer to give it.
  if (text.empty()) return std::vector<uint8_t>();
  std::vector<uint8_t> bytes(text.size() / 2);
  size_t written = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &written, &end) != 0 ||
      written != bytes.size() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return bytes;
}

}  // namespace sn44::protocol

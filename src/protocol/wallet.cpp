#include "protocol/wallet.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/file_contents.h"
#include "protocol/hex.h"
#include "protocol/ss58.h"

namespace sn44::protocol {
namespace {

[[noreturn]] void malformed(const std::filesystem::path& path, const std::string& what) {
  throw Error(ErrorKind::invalid_argument, "key file '" + path.string() + "': " + what);
}

std::string field(const nlohmann::json& json, const char* name, const std::filesystem::path& path) {
  if (!json.contains(name) || !json[name].is_string()) malformed(path, std::string("no string field '") + name + "'");
  return json[name].get<std::string>();
}

}  // namespace

std::filesystem::path hotkey_path(const std::filesystem::path& wallets_root, const std::string& wallet_name,
                                  const std::string& hotkey_name) {
  return wallets_root / wallet_name / "hotkeys" / hotkey_name;
}

Hotkey load_hotkey(const std::filesystem::path& path) {
  std::optional<std::string> read = read_file_contents(path);
  if (!read) throw Error(ErrorKind::not_found, "key file '" + path.string() + "' not found or unreadable");
  std::string& content = *read;
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(content);
  } catch (const nlohmann::json::exception&) {
    sodium_memzero(content.data(), content.size());
    malformed(path, "not valid JSON");  // the parser's message could quote the secret
  }
  sodium_memzero(content.data(), content.size());
  if (!json.is_object()) malformed(path, "not a JSON object");

  std::string seed_text = field(json, "secretSeed", path);
  auto seed = from_hex(seed_text);
  sodium_memzero(seed_text.data(), seed_text.size());
  if (!seed || seed->size() != 32) malformed(path, "secretSeed is not 32 bytes of hex");
  Hotkey hotkey{Keypair::from_seed(*seed), field(json, "ss58Address", path)};
  sodium_memzero(seed->data(), seed->size());

  const auto stored_key = from_hex(field(json, "publicKey", path));
  if (!stored_key || stored_key->size() != 32 ||
      !std::equal(stored_key->begin(), stored_key->end(), hotkey.keypair.public_key().begin()))
    malformed(path, "publicKey does not match the key derived from secretSeed");
  if (ss58_encode(hotkey.keypair.public_key()) != hotkey.ss58_address)
    malformed(path, "ss58Address does not match the public key");
  return hotkey;
}

}  // namespace sn44::protocol

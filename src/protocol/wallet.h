#pragma once
// Bittensor key files: ~/.bittensor/wallets/<wallet>/hotkeys/<hotkey>, JSON with secretSeed,
// publicKey, ss58Address (and accountId, secretPhrase, which are not needed).

#include <filesystem>
#include <string>

#include "protocol/sr25519.h"

namespace sn44::protocol {

struct Hotkey {
  Keypair keypair;
  std::string ss58_address;
};

// `wallets_root`/<wallet>/hotkeys/<hotkey>.
std::filesystem::path hotkey_path(const std::filesystem::path& wallets_root, const std::string& wallet_name,
                                  const std::string& hotkey_name);

// Loads the key and checks that the seed gives the stored public key and address. Throws
// Error(not_found) for a missing file and Error(invalid_argument) naming the bad field; messages
// never contain the secret.
Hotkey load_hotkey(const std::filesystem::path& path);

}  // namespace sn44::protocol

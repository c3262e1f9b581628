#include "protocol/wallet.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "protocol/hex.h"
#include "protocol/ss58.h"
#include "support/expect_error.h"
#include "support/temp_dir.h"

namespace sn44::protocol {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSeed = "fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e";
const std::string kPublicKey = "46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a";

std::string key_file(const std::string& seed, const std::string& public_key, const std::string& address) {
  return R"({"accountId": "0x)" + public_key + R"(", "publicKey": "0x)" + public_key + R"(", "secretPhrase": "", "secretSeed": "0x)" +
         seed + R"(", "ss58Address": ")" + address + "\"}";
}

std::string address() {
  PublicKey key{};
  const auto bytes = *from_hex(kPublicKey);
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return ss58_encode(key);
}

TEST(Wallet, LoadsAHotkeyFile) {
  testing::TempDir dir;
  const auto path = hotkey_path(dir.path(), "miner", "default");
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << key_file(kSeed, kPublicKey, address());
  const Hotkey hotkey = load_hotkey(path);
  EXPECT_EQ(to_hex(hotkey.keypair.public_key()), kPublicKey);
  EXPECT_EQ(hotkey.ss58_address, address());
  EXPECT_EQ(path, dir.path() / "miner" / "hotkeys" / "default");
}

TEST(Wallet, BadFilesAreRefusedWithoutShowingTheSecret) {
  testing::TempDir dir;
  testing::expect_error(ErrorKind::not_found, "not found", [&] { load_hotkey(dir / "missing"); });
  const auto write_and_load = [&](const std::string& content) {
    std::ofstream(dir / "key") << content;
    const Error error = testing::expect_error([&] { load_hotkey(dir / "key"); });
    EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
    EXPECT_THAT(error.what(), Not(HasSubstr(kSeed.substr(0, 16))));
    return std::string(error.what());
  };
  EXPECT_THAT(write_and_load("{\"secretSeed\": \"0x" + kSeed + "\""), HasSubstr("not valid JSON"));
  EXPECT_THAT(write_and_load(R"({"publicKey": "0x00"})"), HasSubstr("secretSeed"));
  EXPECT_THAT(write_and_load(key_file(kSeed.substr(2), kPublicKey, address())), HasSubstr("32 bytes"));
  EXPECT_THAT(write_and_load(key_file(kSeed, std::string(64, '0'), address())), HasSubstr("publicKey does not match"));
  EXPECT_THAT(write_and_load(key_file(kSeed, kPublicKey, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")),
              HasSubstr("ss58Address does not match"));
}

}  // namespace
}  // namespace sn44::protocol

// Our sr25519 against an independent implementation (@scure/sr25519 under node, see
// tests/interop/sr25519): its signatures verify with our code and ours with its, on random keys
// and messages, and tampered ones fail on both sides.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "protocol/hex.h"
#include "protocol/sr25519.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

namespace sn44::protocol {
namespace {

const std::filesystem::path kInteropDir = SN44_INTEROP_DIR;

std::vector<uint8_t> random_bytes(std::mt19937& random, size_t count) {
  std::vector<uint8_t> bytes(count);
  for (auto& b : bytes) b = static_cast<uint8_t>(random());
  return bytes;
}

nlohmann::json run_reference(const nlohmann::json& request) {
  testing::TempDir dir;
  std::ofstream(dir / "request.json") << request.dump();
  const auto result = testing::run_command(SN44_NODE, {(kInteropDir / "cross_check.mjs").string(), (dir / "request.json").string()});
  if (result.exit_code != 0) throw std::runtime_error("node cross_check.mjs failed: " + result.standard_error);
  return nlohmann::json::parse(result.standard_output);
}

class Sr25519Interop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(SN44_NODE).empty()) GTEST_SKIP() << "node is not installed";
    if (!std::filesystem::exists(kInteropDir / "node_modules" / "@scure" / "sr25519"))
      GTEST_SKIP() << "npm packages missing: run `npm ci` in " << kInteropDir.string();
  }
};

TEST_F(Sr25519Interop, TheirSignaturesVerifyWithOursAndTheirKeysMatchOurs) {
  std::mt19937 random(11);
  nlohmann::json request = {{"sign", nlohmann::json::array()}};
  std::vector<std::vector<uint8_t>> seeds, messages;
  for (int i = 0; i < 25; ++i) {
    seeds.push_back(random_bytes(random, 32));
    messages.push_back(random_bytes(random, random() % 300));
    request["sign"].push_back({{"seed", to_hex(seeds.back())}, {"message", to_hex(messages.back())}});
  }
  const nlohmann::json answer = run_reference(request);
  ASSERT_EQ(answer["signed"].size(), seeds.size());
  for (size_t i = 0; i < seeds.size(); ++i) {
    const Keypair ours = Keypair::from_seed(seeds[i]);
    EXPECT_EQ(answer["signed"][i]["public_key"], to_hex(ours.public_key())) << "key expansion differs for case " << i;
    Signature signature{};
    const auto bytes = *from_hex(answer["signed"][i]["signature"].get<std::string>());
    std::copy(bytes.begin(), bytes.end(), signature.begin());
    EXPECT_EQ(verify(ours.public_key(), messages[i], signature), VerifyResult::valid) << "case " << i;
    messages[i].push_back(0);
    EXPECT_NE(verify(ours.public_key(), messages[i], signature), VerifyResult::valid) << "case " << i;
  }
}

TEST_F(Sr25519Interop, OurSignaturesVerifyWithTheirs) {
  std::mt19937 random(12);
  nlohmann::json request = {{"verify", nlohmann::json::array()}};
  for (int i = 0; i < 25; ++i) {
    const Keypair key = Keypair::from_seed(random_bytes(random, 32));
    std::vector<uint8_t> message = random_bytes(random, random() % 300);
    const Signature signature = key.sign(message);
    request["verify"].push_back({{"public_key", to_hex(key.public_key())}, {"message", to_hex(message)}, {"signature", to_hex(signature)}});
    message.push_back(1);  // the same signature on another message must fail there too
    request["verify"].push_back({{"public_key", to_hex(key.public_key())}, {"message", to_hex(message)}, {"signature", to_hex(signature)}});
  }
  const nlohmann::json answer = run_reference(request);
  ASSERT_EQ(answer["verified"].size(), 50u);
  for (size_t i = 0; i < 50; ++i) EXPECT_EQ(answer["verified"][i].get<bool>(), i % 2 == 0) << "case " << i;
}

}  // namespace
}  // namespace sn44::protocol

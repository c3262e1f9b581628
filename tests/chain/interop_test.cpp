// Our metagraph decoder against an independent SCALE implementation: @polkadot/types (under node,
// tests/interop/scale) encodes random Metagraph values from a type definition of the runtime
// struct (random sizes, edge-case compacts up to 128 bits, empty and full per-uid vectors, both
// identity versions), and we must read back every field we use.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "chain/metagraph.h"
#include "protocol/hex.h"
#include "support/run_command.h"

namespace sn44::chain {
namespace {

const std::filesystem::path kInteropDir = SN44_INTEROP_DIR;

double rao_to_units(const std::string& rao) { return std::stod(rao) / 1e9; }

TEST(MetagraphInterop, ReadsEveryFieldOfAnswersEncodedByPolkadotTypes) {
  if (std::string(SN44_NODE).empty()) GTEST_SKIP() << "node is not installed";
  if (!std::filesystem::exists(kInteropDir / "node_modules" / "@polkadot" / "types"))
    GTEST_SKIP() << "npm packages missing: run `npm ci` in " << kInteropDir.string();
  const auto result = testing::run_command(SN44_NODE, {(kInteropDir / "build_metagraphs.mjs").string(), "40", "20251124"});
  ASSERT_EQ(result.exit_code, 0) << result.standard_error;
  const nlohmann::json cases = nlohmann::json::parse(result.standard_output);
  ASSERT_EQ(cases.size(), 40u);
  size_t neurons_checked = 0;
  for (size_t c = 0; c < cases.size(); ++c) {
    const nlohmann::json& expected = cases[c]["expected"];
    const std::optional<Metagraph> graph = decode_metagraph(*protocol::from_hex(cases[c]["scale"].get<std::string>()));
    ASSERT_TRUE(graph) << "case " << c;
    EXPECT_EQ(graph->netuid, expected["netuid"].get<int>()) << "case " << c;
    EXPECT_EQ(std::to_string(graph->block), expected["block"].get<std::string>()) << "case " << c;
    EXPECT_EQ(graph->identity_version, expected["identity_version"].get<int>()) << "case " << c;
    ASSERT_EQ(graph->neurons.size(), expected["neurons"].size()) << "case " << c;
    for (size_t uid = 0; uid < graph->neurons.size(); ++uid) {
      const Neuron& neuron = graph->neurons[uid];
      const nlohmann::json& want = expected["neurons"][uid];
      const std::string where = "case " + std::to_string(c) + " uid " + std::to_string(uid);
      EXPECT_EQ(neuron.uid, uid) << where;
      EXPECT_EQ(neuron.hotkey, want["hotkey"]) << where;
      EXPECT_EQ(neuron.coldkey, want["coldkey"]) << where;
      EXPECT_DOUBLE_EQ(neuron.tao_stake, rao_to_units(want["tao_stake_rao"])) << where;
      EXPECT_DOUBLE_EQ(neuron.alpha_stake, rao_to_units(want["alpha_stake_rao"])) << where;
      EXPECT_DOUBLE_EQ(neuron.total_stake, rao_to_units(want["total_stake_rao"])) << where;
      EXPECT_EQ(neuron.validator_permit, want["validator_permit"].get<bool>()) << where;
      EXPECT_EQ(neuron.axon_port, want["axon_port"].get<int>()) << where;
      EXPECT_EQ(neuron.axon_ip, want["axon_ip"]) << where;
      ++neurons_checked;
    }
  }
  EXPECT_GT(neurons_checked, 100u);
}

}  // namespace
}  // namespace sn44::chain

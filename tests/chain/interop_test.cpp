// Our metagraph decoder against an independent SCALE implementation: @polkadot/types (under node,
// tests/interop/scale) encodes random Metagraph values from a type definition of the runtime
// struct (random sizes, edge-case compacts up to 2^128-1, empty and full per-uid vectors, both
// identity versions, None and Some options), and we must read back every field.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "chain/metagraph.h"
#include "polkadot_fixtures.h"
#include "protocol/hex.h"
#include "support/run_command.h"

namespace sn44::chain {
namespace {

using nlohmann::json;

const std::filesystem::path kInteropDir = SN44_INTEROP_DIR;

std::string hex(std::span<const uint8_t> bytes) { return "0x" + protocol::to_hex(bytes); }
std::string hex(const std::string& bytes) { return hex(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size())); }

json byte_fields(const std::optional<ByteFields>& fields) {
  if (!fields) return nullptr;
  json out = json::object();
  for (const auto& [name, value] : *fields) out[std::string(name)] = hex(value);
  return out;
}

json named_decimals(const std::vector<std::pair<std::string_view, U128>>& values) {
  json out = json::object();
  for (const auto& [name, value] : values) out[std::string(name)] = value.to_string();
  return out;
}

json amounts_by_hotkey(const std::vector<std::pair<AccountId, U128>>& amounts) {
  json out = json::array();
  for (const auto& [hotkey, amount] : amounts) out.push_back({hex(hotkey), amount.to_string()});
  return out;
}

// What we decoded, in the plain form the node script writes its expectations in.
json plain_form(const Metagraph& graph) {
  const RuntimeMetagraph& raw = graph.runtime;
  json out = {{"netuid", raw.netuid}, {"name", hex(raw.name)}, {"symbol", hex(raw.symbol)},
              {"identity_version", graph.identity_version}, {"identity", byte_fields(raw.identity)},
              {"owner_hotkey", hex(raw.owner_hotkey)}, {"owner_coldkey", hex(raw.owner_coldkey)},
              {"block", std::to_string(graph.block)}, {"scalars", named_decimals(raw.scalars)},
              {"moving_price_bits", raw.moving_price_bits.to_string()}, {"active", raw.active},
              {"validator_permit", raw.validator_permit},
              {"tao_dividends_per_hotkey", amounts_by_hotkey(raw.tao_dividends_per_hotkey)},
              {"alpha_dividends_per_hotkey", amounts_by_hotkey(raw.alpha_dividends_per_hotkey)}};
  out["flags"] = json::object();
  for (const auto& [name, value] : raw.flags) out["flags"][std::string(name)] = value;
  for (const char* keys : {"hotkeys", "coldkeys"}) {
    out[keys] = json::array();
    for (const AccountId& key : std::string_view(keys) == "hotkeys" ? raw.hotkeys : raw.coldkeys) out[keys].push_back(hex(key));
  }
  out["identities"] = json::array();
  for (const auto& identity : raw.identities) out["identities"].push_back(byte_fields(identity));
  out["axons"] = json::array();
  for (const AxonInfo& axon : raw.axons)
    out["axons"].push_back({{"block", std::to_string(axon.block)}, {"version", axon.version}, {"ip", axon.ip.to_string()},
                            {"port", axon.port}, {"ip_type", axon.ip_type}, {"protocol", axon.protocol},
                            {"placeholder1", axon.placeholder1}, {"placeholder2", axon.placeholder2}});
  out["per_uid"] = json::object();
  for (const auto& [name, values] : raw.per_uid) {
    json& list = out["per_uid"][std::string(name)] = json::array();
    for (const U128& value : values) list.push_back(value.to_string());
  }
  return out;
}

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

// Why the node script cannot run here; empty when it can.
std::string missing_node_tools() {
  if (std::string(SN44_NODE).empty()) return "node is not installed";
  if (!std::filesystem::exists(kInteropDir / "node_modules" / "@polkadot" / "types"))
    return "npm packages missing: run `npm ci` in " + kInteropDir.string();
  return {};
}

// The cases the node script prints for `arguments` (an empty list, and a test failure, when it fails).
json run_scale_script(const std::vector<std::string>& arguments) {
  std::vector<std::string> command = {(kInteropDir / "build_metagraphs.mjs").string()};
  command.insert(command.end(), arguments.begin(), arguments.end());
  const auto result = sn44::testing::run_command(SN44_NODE, command);
  EXPECT_EQ(result.exit_code, 0) << result.standard_error;
  return result.exit_code == 0 ? json::parse(result.standard_output) : json::array();
}

TEST(MetagraphInterop, FixedUnitTestInputsAreWhatPolkadotTypesEncodes) {
  if (const std::string missing = missing_node_tools(); !missing.empty()) GTEST_SKIP() << missing;
  const json cases = run_scale_script({"fixed"});
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(cases[0]["scale"], std::string("0x") + testing::kPolkadotV2OneNeuron);
  EXPECT_EQ(cases[1]["scale"], std::string("0x") + testing::kPolkadotV3TwoNeurons);
  EXPECT_EQ(cases[2]["scale"], "0x00");
  EXPECT_FALSE(decode_metagraph(*protocol::from_hex(cases[2]["scale"].get<std::string>())));
}

// SN44_SCALE_INTEROP_CASES and SN44_SCALE_INTEROP_SEED run a longer or different series.
TEST(MetagraphInterop, ReadsEveryFieldOfAnswersEncodedByPolkadotTypes) {
  const std::string count = env_or("SN44_SCALE_INTEROP_CASES", "40");
  if (const std::string missing = missing_node_tools(); !missing.empty()) GTEST_SKIP() << missing;
  const json cases = run_scale_script({count, env_or("SN44_SCALE_INTEROP_SEED", "20251124")});
  ASSERT_EQ(cases.size(), std::stoul(count));
  size_t neurons_checked = 0;
  for (size_t c = 0; c < cases.size(); ++c) {
    const json& expected = cases[c]["expected"];
    const std::optional<Metagraph> graph = decode_metagraph(*protocol::from_hex(cases[c]["scale"].get<std::string>()));
    ASSERT_TRUE(graph) << "case " << c;
    const json decoded = plain_form(*graph);
    for (const auto& [field, value] : expected.items()) {
      if (field == "neurons") continue;
      EXPECT_EQ(decoded[field], value) << "case " << c << " field " << field;
    }
    ASSERT_EQ(graph->neurons.size(), expected["neurons"].size()) << "case " << c;
    for (size_t uid = 0; uid < graph->neurons.size(); ++uid) {
      const Neuron& neuron = graph->neurons[uid];
      const json& want = expected["neurons"][uid];
      const std::string where = "case " + std::to_string(c) + " uid " + std::to_string(uid);
      EXPECT_EQ(neuron.uid, uid) << where;
      EXPECT_EQ(neuron.hotkey, want["hotkey"]) << where;
      EXPECT_EQ(neuron.coldkey, want["coldkey"]) << where;
      EXPECT_DOUBLE_EQ(neuron.tao_stake, std::stod(want["tao_stake_rao"].get<std::string>()) / 1e9) << where;
      EXPECT_DOUBLE_EQ(neuron.alpha_stake, std::stod(want["alpha_stake_rao"].get<std::string>()) / 1e9) << where;
      EXPECT_DOUBLE_EQ(neuron.total_stake, std::stod(want["total_stake_rao"].get<std::string>()) / 1e9) << where;
      EXPECT_EQ(neuron.validator_permit, want["validator_permit"].get<bool>()) << where;
      EXPECT_EQ(neuron.axon_port, want["axon_port"].get<int>()) << where;
      EXPECT_EQ(neuron.axon_ip, want["axon_ip"]) << where;
      ++neurons_checked;
    }
  }
  EXPECT_GT(neurons_checked, 5 * cases.size());
}

}  // namespace
}  // namespace sn44::chain

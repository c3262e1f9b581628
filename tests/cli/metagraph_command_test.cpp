// `sn44-miner metagraph` against a fake subtensor node on loopback, as an operator runs it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_subtensor.h"
#include "metagraph_builder.h"
#include "protocol/ss58.h"
#include "support/run_command.h"

namespace sn44::cli {
namespace {

using ::testing::HasSubstr;

class MetagraphCommand : public ::testing::Test {
 protected:
  MetagraphCommand() {
    chain::testing::TestMetagraph graph;
    graph.neurons = {chain::testing::test_neuron(1, 1500.25, true), chain::testing::test_neuron(2, 3.0)};
    graph.neurons[1].ipv4 = 0;  // never served an axon
    node_.set_metagraph(chain::testing::encode_metagraph(graph));
  }

  testing::CommandResult run(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), "metagraph");
    arguments.insert(arguments.end(), {"--subtensor-address", node_.url()});
    return testing::run_command(SN44_MINER_EXECUTABLE, arguments);
  }

  static std::string hotkey(uint8_t seed) { return protocol::ss58_encode(chain::testing::test_neuron(seed, 0).hotkey); }

  chain::testing::FakeSubtensor node_;
};

TEST_F(MetagraphCommand, PrintsEveryNeuronAsJson) {
  const testing::CommandResult result = run({"--json", "--netuid", "44"});
  ASSERT_EQ(result.exit_code, 0) << result.standard_error;
  const nlohmann::json body = nlohmann::json::parse(result.standard_output);
  EXPECT_EQ(body["netuid"], 44);
  EXPECT_EQ(body["block"], 5'000'000);
  ASSERT_EQ(body["neurons"].size(), 2u);
  const nlohmann::json& validator = body["neurons"][0];
  EXPECT_EQ(validator["uid"], 0);
  EXPECT_EQ(validator["hotkey"], hotkey(1));
  EXPECT_DOUBLE_EQ(validator["tao_stake"].get<double>(), 1500.25);
  EXPECT_EQ(validator["validator_permit"], true);
  EXPECT_EQ(validator["axon_ip"], "10.0.0.1");
  EXPECT_EQ(validator["axon_port"], 8001);
  EXPECT_EQ(body["neurons"][1]["axon_ip"], "");
}

TEST_F(MetagraphCommand, PrintsATableAndCanKeepOnlyValidators) {
  const testing::CommandResult all = run({});
  ASSERT_EQ(all.exit_code, 0) << all.standard_error;
  EXPECT_THAT(all.standard_output, HasSubstr("subnet 44 at block 5000000: 2 neurons"));
  EXPECT_THAT(all.standard_output, HasSubstr(hotkey(1)));
  EXPECT_THAT(all.standard_output, HasSubstr("1500.250"));
  EXPECT_THAT(all.standard_output, HasSubstr("10.0.0.1:8001"));
  EXPECT_THAT(all.standard_output, HasSubstr(hotkey(2)));

  const testing::CommandResult validators = run({"--validators"});
  ASSERT_EQ(validators.exit_code, 0) << validators.standard_error;
  EXPECT_THAT(validators.standard_output, HasSubstr(hotkey(1)));
  EXPECT_THAT(validators.standard_output, ::testing::Not(HasSubstr(hotkey(2))));
}

TEST_F(MetagraphCommand, ExplainsAMissingSubnetAndABadNetwork) {
  node_.set_metagraph({0x00});
  const testing::CommandResult missing = run({"--netuid", "7"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.standard_error, HasSubstr("subnet 7 does not exist"));
  EXPECT_THAT(node_.last_request(), HasSubstr("\"0x0700\""));

  const testing::CommandResult unknown =
      testing::run_command(SN44_MINER_EXECUTABLE, {"metagraph", "--subtensor-network", "moon"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.standard_error, HasSubstr("SUBTENSOR_NETWORK 'moon'"));
}

}  // namespace
}  // namespace sn44::cli

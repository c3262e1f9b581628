#include "chain/metagraph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/error.h"
#include "metagraph_builder.h"
#include "polkadot_fixtures.h"
#include "protocol/hex.h"
#include "protocol/ss58.h"
#include "support/expect_error.h"

namespace sn44::chain {
namespace {

using testing::encode_metagraph;
using testing::test_neuron;
using testing::TestMetagraph;

TestMetagraph three_neurons(int identity_version) {
  TestMetagraph graph;
  graph.identity_version = identity_version;
  graph.neurons = {test_neuron(1, 1500.5, true), test_neuron(2, 0.25), test_neuron(3, 999.0, true)};
  return graph;
}

TEST(Metagraph, DecodesEveryNeuronWithBothIdentityVersions) {
  for (const int version : {3, 2, 0}) {
    const TestMetagraph source = three_neurons(version);
    const std::optional<Metagraph> graph = decode_metagraph(encode_metagraph(source));
    ASSERT_TRUE(graph) << "identity version " << version;
    EXPECT_EQ(graph->netuid, 44);
    EXPECT_EQ(graph->block, 5'000'000u);
    EXPECT_EQ(graph->identity_version, version);
    ASSERT_EQ(graph->neurons.size(), 3u);
    const Neuron& first = graph->neurons[0];
    EXPECT_EQ(first.uid, 0);
    EXPECT_EQ(first.hotkey, protocol::ss58_encode(source.neurons[0].hotkey));
    EXPECT_EQ(first.coldkey, protocol::ss58_encode(source.neurons[0].coldkey));
    EXPECT_DOUBLE_EQ(first.tao_stake, 1500.5);
    EXPECT_DOUBLE_EQ(first.alpha_stake, 5.0);
    EXPECT_DOUBLE_EQ(first.total_stake, 1505.5);
    EXPECT_TRUE(first.validator_permit);
    EXPECT_EQ(first.axon_ip, "10.0.0.1");
    EXPECT_EQ(first.axon_port, 8001);
    EXPECT_DOUBLE_EQ(graph->neurons[1].tao_stake, 0.25);
    EXPECT_FALSE(graph->neurons[1].validator_permit);
    EXPECT_EQ(graph->neurons[2].uid, 2);
  }
}

TEST(Metagraph, EmptyAndFullPerUidVectorsBothDecode) {
  TestMetagraph graph = three_neurons(3);
  graph.empty_trust_rank_pruning = false;
  EXPECT_EQ(decode_metagraph(encode_metagraph(graph))->neurons.size(), 3u);
  graph.neurons.clear();
  EXPECT_TRUE(decode_metagraph(encode_metagraph(graph))->neurons.empty());
}

std::vector<uint8_t> fixture(const char* hex) { return *protocol::from_hex(hex); }

std::vector<std::string_view> names_of(const ByteFields& fields) {
  std::vector<std::string_view> names;
  for (const auto& field : fields) names.push_back(field.first);
  return names;
}

TEST(Metagraph, ReadsAnAnswerEncodedByPolkadotTypesWithIdentityV2) {
  const std::optional<Metagraph> graph = decode_metagraph(fixture(testing::kPolkadotV2OneNeuron));
  ASSERT_TRUE(graph);
  const RuntimeMetagraph& raw = graph->runtime;
  EXPECT_EQ(graph->netuid, 44);
  EXPECT_EQ(graph->block, 1u << 30);
  EXPECT_EQ(graph->identity_version, 2);
  ASSERT_TRUE(raw.identity);
  EXPECT_THAT(names_of(*raw.identity), ::testing::ElementsAre("subnet_name", "github_repo", "subnet_contact", "subnet_url",
                                                              "discord", "description", "additional"));
  EXPECT_EQ(raw.name, "\xa4\x63\x33\xcb\xaa\xc5");  // six Compact<u8>, the first two-byte mode
  EXPECT_EQ(raw.scalar("network_registered_at"), (U128{4, 0}));
  EXPECT_EQ(raw.scalar("tempo"), (U128{8, 0}));
  EXPECT_EQ(raw.scalar("bonds_moving_avg"), (U128{51, 0}));
  EXPECT_EQ(raw.scalar("subnet_emission").to_string(), "340282366920938463463374607431768211455");
  EXPECT_DOUBLE_EQ(raw.moving_price(), -1.5);
  EXPECT_EQ(raw.scalars.size(), 41u);
  EXPECT_EQ(raw.flags.size(), 4u);
  EXPECT_TRUE(raw.per_uid_values("trust").empty());
  EXPECT_TRUE(raw.per_uid_values("rank").empty());
  EXPECT_TRUE(raw.per_uid_values("pruning_score").empty());
  EXPECT_EQ(raw.per_uid_values("last_update"), (std::vector<U128>{{59, 0}}));
  ASSERT_EQ(graph->neurons.size(), 1u);
  const Neuron& neuron = graph->neurons[0];
  EXPECT_EQ(neuron.hotkey, "5D4hHM9PnX6m2dgHU9J8dmAH3FRPCbr7fhJSvQ8D9DP9Qjqq");
  EXPECT_EQ(neuron.coldkey, "5CL9nWMD752B5iHkk8DyCpBGrLt1S6qaF74XNBiudAa434x3");
  EXPECT_DOUBLE_EQ(neuron.tao_stake, 1500.0);
  EXPECT_DOUBLE_EQ(neuron.alpha_stake, 18446744073.709551615);
  EXPECT_DOUBLE_EQ(neuron.total_stake, 16384e-9);
  EXPECT_TRUE(neuron.validator_permit);
  EXPECT_FALSE(neuron.active);
  EXPECT_EQ(neuron.axon_ip, "28.119.209.130");
  EXPECT_EQ(neuron.axon_port, 7841);
}

TEST(Metagraph, ReadsAnAnswerEncodedByPolkadotTypesWithIdentityV3) {
  const std::optional<Metagraph> graph = decode_metagraph(fixture(testing::kPolkadotV3TwoNeurons));
  ASSERT_TRUE(graph);
  EXPECT_EQ(graph->identity_version, 3);
  ASSERT_TRUE(graph->runtime.identity);
  EXPECT_EQ(graph->runtime.identity->at(6).first, "logo_url");
  ASSERT_EQ(graph->neurons.size(), 2u);
  EXPECT_EQ(graph->neurons[1].hotkey, "5DXiA8hsM4cfB6vwtNkjZuYA5BphWTLs4MfZaCQGPsz7nja6");
  EXPECT_TRUE(graph->neurons[1].validator_permit);
  EXPECT_FALSE(graph->neurons[0].validator_permit);
  EXPECT_EQ(graph->neurons[0].axon_ip, "6.203.23.229");
  EXPECT_EQ(graph->runtime.per_uid_values("trust").size(), 2u);
  ASSERT_EQ(graph->runtime.identities.size(), 2u);
  EXPECT_FALSE(graph->runtime.identities[0]);
  ASSERT_TRUE(graph->runtime.identities[1]);
  EXPECT_EQ(graph->runtime.identities[1]->at(0).second, "\x43\x9f\x08\x28\x2c\xb2\x99");
}

TEST(Metagraph, ErrorsNameTheFieldAndTheOffset) {
  std::vector<uint8_t> data = fixture(testing::kPolkadotV2OneNeuron);
  data.pop_back();  // the last compact of alpha_dividends_per_hotkey
  sn44::testing::expect_error(ErrorKind::corrupt_data, 
                              "as V2: field 'alpha_dividends_per_hotkey' at byte 544 of 577: vector claims 1 items but only 32 bytes follow",
                              [&] { decode_metagraph(data); });

  data = fixture(testing::kPolkadotV2OneNeuron);
  data[3] = 0xfd;  // the name's first Compact<u8> becomes 511
  data[4] = 0x07;
  sn44::testing::expect_error(ErrorKind::corrupt_data, "field 'name' at byte 3 of 578: compact integer 511 is over 255",
                              [&] { decode_metagraph(data); });
}

TEST(Metagraph, AbsurdVectorLengthsAreRefusedBeforeAllocating) {
  std::vector<uint8_t> data = fixture(testing::kPolkadotV2OneNeuron);
  // The hotkeys vector: its length (one, 0x04) sits just before the only hotkey.
  const auto hotkey = *protocol::from_hex("2c3a4cae6567739b244e8e47691faf3044b031abe0d1d4f99e4bade49338447c");
  const auto length_at = std::search(data.begin(), data.end(), hotkey.begin(), hotkey.end()) - data.begin() - 1;
  ASSERT_EQ(data[static_cast<size_t>(length_at)], 0x04);
  const std::vector<uint8_t> billion = {0x03, 0x00, 0x00, 0x00, 0x40};  // Compact 2^30
  data.erase(data.begin() + length_at);
  data.insert(data.begin() + length_at, billion.begin(), billion.end());
  sn44::testing::expect_error(ErrorKind::corrupt_data, "field 'hotkeys'", [&] { decode_metagraph(data); });
  sn44::testing::expect_error(ErrorKind::corrupt_data, "vector claims 1073741824 items", [&] { decode_metagraph(data); });
}

TEST(Metagraph, AnAnswerBothIdentityLayoutsReadPlausiblyIsAnErrorNotAGuess) {
  sn44::testing::expect_error(ErrorKind::corrupt_data, "reads to the end with both subnet identity layouts",
                              [] { decode_metagraph(fixture(testing::kPolkadotAmbiguousLayout)); });
}

TEST(Metagraph, NoneMeansNoSuchSubnet) {
  EXPECT_FALSE(decode_metagraph(std::vector<uint8_t>{0x00}).has_value());
}

TEST(Metagraph, TruncatedOrPaddedAnswersAreErrors) {
  const std::vector<uint8_t> data = encode_metagraph(three_neurons(3));
  for (const size_t cut : {size_t{1}, size_t{10}, data.size() / 2, data.size() - 1}) {
    const std::vector<uint8_t> truncated(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(cut));
    sn44::testing::expect_error(ErrorKind::corrupt_data, "metagraph does not decode", [&] { decode_metagraph(truncated); });
  }
  std::vector<uint8_t> padded = data;
  padded.push_back(0);
  sn44::testing::expect_error(ErrorKind::corrupt_data, "bytes left after the last field", [&] { decode_metagraph(padded); });
  sn44::testing::expect_error(ErrorKind::corrupt_data, "Option tag", [] { decode_metagraph(std::vector<uint8_t>{0x05}); });
}

TEST(Metagraph, RandomBytesNeverCrash) {
  std::mt19937 random(1);
  const std::vector<uint8_t> valid = encode_metagraph(three_neurons(3));
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<uint8_t> data = valid;
    for (int flips = 0; flips < 3; ++flips) data[random() % data.size()] = static_cast<uint8_t>(random());
    try {
      decode_metagraph(data);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::corrupt_data);
    }
  }
}

}  // namespace
}  // namespace sn44::chain

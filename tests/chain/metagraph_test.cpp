#include "chain/metagraph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "core/error.h"
#include "metagraph_builder.h"
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

// The metagraph cache against a fake subtensor node: first load, lookups, serving from the last
// copy while the node is gone, picking up changes when it returns, and clear errors for bad nodes.

#include "chain/metagraph_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "core/error.h"
#include "fake_subtensor.h"
#include "metagraph_builder.h"
#include "protocol/ss58.h"
#include "support/expect_error.h"

namespace sn44::chain {
namespace {

using ::testing::HasSubstr;
using testing::FakeSubtensor;

testing::TestMetagraph graph_with_stake(double validator_stake) {
  testing::TestMetagraph graph;
  graph.neurons = {testing::test_neuron(1, validator_stake, true), testing::test_neuron(2, 3.0)};
  return graph;
}

std::string hotkey_of(uint8_t seed) { return protocol::ss58_encode(testing::test_neuron(seed, 0).hotkey); }

template <typename Condition>
bool eventually(Condition condition) {
  for (int i = 0; i < 300; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

MetagraphCache::Options fast_refresh() {
  MetagraphCache::Options options;
  options.refresh_interval = std::chrono::milliseconds(100);
  options.retry_interval = std::chrono::milliseconds(100);
  return options;
}

TEST(MetagraphCache, LoadsServesFromCacheWhileTheNodeIsGoneAndPicksUpChanges) {
  FakeSubtensor node;
  node.set_metagraph(testing::encode_metagraph(graph_with_stake(1500)));
  MetagraphCache cache(std::make_unique<SubstrateClient>(node.url(), std::chrono::milliseconds(2000)), fast_refresh());
  ASSERT_TRUE(cache.wait_for_first(std::chrono::seconds(5))) << cache.last_error();
  EXPECT_EQ(cache.size(), 2u);
  ASSERT_TRUE(cache.find(hotkey_of(1)));
  EXPECT_DOUBLE_EQ(cache.find(hotkey_of(1))->tao_stake, 1500);
  EXPECT_TRUE(cache.find(hotkey_of(1))->validator_permit);
  EXPECT_FALSE(cache.find(hotkey_of(9)));

  node.stop();
  EXPECT_TRUE(eventually([&] { return !cache.last_error().empty(); }));
  EXPECT_DOUBLE_EQ(cache.find(hotkey_of(1))->tao_stake, 1500) << "the last copy keeps serving";
  EXPECT_GT(*cache.age_seconds(), 0.0);

  node.set_metagraph(testing::encode_metagraph(graph_with_stake(20)));
  node.start();
  EXPECT_TRUE(eventually([&] { return cache.find(hotkey_of(1))->tao_stake == 20; })) << cache.last_error();
  EXPECT_EQ(cache.last_error(), "");
}

TEST(SubstrateClient, BadNodesGiveClearErrors) {
  FakeSubtensor node;
  SubstrateClient client(node.url(), std::chrono::milliseconds(500));
  node.set_mode(FakeSubtensor::Mode::rpc_error);
  sn44::testing::expect_error(ErrorKind::internal, "runtime unavailable", [&] { fetch_metagraph(client, 44); });
  node.set_mode(FakeSubtensor::Mode::garbage);
  sn44::testing::expect_error(ErrorKind::corrupt_data, "not JSON", [&] { fetch_metagraph(client, 44); });
  node.set_mode(FakeSubtensor::Mode::silent);
  sn44::testing::expect_error(ErrorKind::timeout, "no answer within", [&] { fetch_metagraph(client, 44); });
  node.set_mode(FakeSubtensor::Mode::answer);
  node.set_metagraph({0x01, 0x03, 0x00});  // a truncated struct
  sn44::testing::expect_error(ErrorKind::corrupt_data, "metagraph does not decode", [&] { fetch_metagraph(client, 44); });
  node.set_metagraph({0x00});
  sn44::testing::expect_error(ErrorKind::not_found, "subnet 44 does not exist", [&] { fetch_metagraph(client, 44); });
  // The client reconnected after each failure and is still usable.
  node.set_metagraph(testing::encode_metagraph(graph_with_stake(1)));
  EXPECT_EQ(fetch_metagraph(client, 44).neurons.size(), 2u);
}

TEST(SubstrateClient, UnreachableNodesAndBadAddresses) {
  SubstrateClient client("ws://127.0.0.1:9", std::chrono::milliseconds(500));
  sn44::testing::expect_error(ErrorKind::unavailable, "connecting to 127.0.0.1", [&] { fetch_metagraph(client, 44); });
  sn44::testing::expect_error(ErrorKind::invalid_argument, "ws:// or wss://", [] { SubstrateClient("http://node", std::chrono::seconds(1)); });
  EXPECT_EQ(subtensor_endpoint("finney", ""), "wss://entrypoint-finney.opentensor.ai:443");
  EXPECT_EQ(subtensor_endpoint("finney", "ws://10.0.0.1:9944"), "ws://10.0.0.1:9944");
  sn44::testing::expect_error(ErrorKind::invalid_argument, "SUBTENSOR_NETWORK", [] { subtensor_endpoint("moon", ""); });
}

}  // namespace
}  // namespace sn44::chain

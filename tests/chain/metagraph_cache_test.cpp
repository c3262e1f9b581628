// The metagraph cache against a fake subtensor node: first load, lookups, serving from the last
// copy while the node is gone, picking up changes when it returns, and clear errors for bad nodes.

#include "chain/metagraph_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"
#include "fake_subtensor.h"
#include "metagraph_builder.h"
#include "protocol/ss58.h"
#include "support/expect_error.h"

namespace sn44::chain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
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
  EXPECT_TRUE(cache.status().age_seconds);
  EXPECT_EQ(cache.status().last_error, "");
  EXPECT_EQ(cache.status().consecutive_failures, 0);
  const nlohmann::json request = nlohmann::json::parse(node.last_request());
  EXPECT_EQ(request["method"], "state_call");
  EXPECT_EQ(request["params"], nlohmann::json({"SubnetInfoRuntimeApi_get_metagraph", "0x2c00", nullptr}));  // netuid 44, u16 LE
  EXPECT_EQ(cache.size(), 2u);
  ASSERT_TRUE(cache.find(hotkey_of(1)));
  EXPECT_DOUBLE_EQ(cache.find(hotkey_of(1))->tao_stake, 1500);
  EXPECT_TRUE(cache.find(hotkey_of(1))->validator_permit);
  EXPECT_FALSE(cache.find(hotkey_of(9)));

  EXPECT_TRUE(eventually([&] { return node.calls() >= 3; }));
  EXPECT_EQ(node.connections(), 1) << "refreshes share one long-lived connection";

  node.stop();
  EXPECT_TRUE(eventually([&] { return cache.status().consecutive_failures >= 2; }));
  EXPECT_DOUBLE_EQ(cache.find(hotkey_of(1))->tao_stake, 1500) << "the last copy keeps serving";
  const MetagraphCache::Status outage = cache.status();
  ASSERT_TRUE(outage.age_seconds);
  EXPECT_GT(*outage.age_seconds, 0.0);
  EXPECT_THAT(outage.last_error, HasSubstr("127.0.0.1"));
  EXPECT_EQ(outage.last_error, cache.last_error());
  EXPECT_GE(*outage.age_seconds, 0.1) << "the age counts from the last success, not the last attempt";

  node.set_metagraph(testing::encode_metagraph(graph_with_stake(20)));
  node.start();
  EXPECT_TRUE(eventually([&] { return cache.find(hotkey_of(1))->tao_stake == 20; })) << cache.last_error();
  EXPECT_EQ(cache.last_error(), "");
  EXPECT_EQ(cache.status().consecutive_failures, 0) << "a success resets the count";
  EXPECT_LT(*cache.status().age_seconds, *outage.age_seconds);
}

TEST(SubstrateClient, TheHandshakeNamesTheNodesPort) {
  // A node filtering hosts declines a handshake whose Host header has no port.
  FakeSubtensor node;
  SubstrateClient client(node.url(), std::chrono::milliseconds(2000));
  node.set_metagraph(testing::encode_metagraph(graph_with_stake(1)));
  fetch_metagraph(client, 44);
  EXPECT_EQ("ws://" + node.last_host(), node.url());
}

TEST(SubstrateClient, AConnectionTheNodeClosedWhileIdleIsReplacedWithoutAFailure) {
  FakeSubtensor node;
  node.set_metagraph(testing::encode_metagraph(graph_with_stake(1)));
  SubstrateClient client(node.url(), std::chrono::milliseconds(2000));
  fetch_metagraph(client, 44);
  node.drop_connections();  // as a node does with a connection that does not answer its pings
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(fetch_metagraph(client, 44).neurons.size(), 2u);
  EXPECT_EQ(node.connections(), 2);
  // With the node gone for good, the call fails after one fresh try.
  node.stop();
  sn44::testing::expect_error(ErrorKind::unavailable, "connecting to 127.0.0.1", [&] { fetch_metagraph(client, 44); });
}

TEST(SubstrateClient, BadNodesGiveClearErrors) {
  FakeSubtensor node;
  SubstrateClient client(node.url(), std::chrono::milliseconds(500));
  node.set_mode(FakeSubtensor::Mode::rpc_error);
  sn44::testing::expect_error(ErrorKind::internal, "runtime unavailable", [&] { fetch_metagraph(client, 44); });
  node.set_mode(FakeSubtensor::Mode::garbage);
  sn44::testing::expect_error(ErrorKind::corrupt_data, "not JSON", [&] { fetch_metagraph(client, 44); });
  node.set_mode(FakeSubtensor::Mode::silent);
  sn44::testing::expect_error(ErrorKind::timeout, "no answer within 0.5 s", [&] { fetch_metagraph(client, 44); });
  node.set_mode(FakeSubtensor::Mode::bad_hex);
  sn44::testing::expect_error(ErrorKind::corrupt_data, "not valid hex", [&] { fetch_metagraph(client, 44); });
  node.set_mode(FakeSubtensor::Mode::wrong_id);
  sn44::testing::expect_error(ErrorKind::corrupt_data, "out of order", [&] { fetch_metagraph(client, 44); });
  node.set_mode(FakeSubtensor::Mode::answer);
  node.set_metagraph({0x01, 0x03, 0x00});  // a netuid compact cut short
  sn44::testing::expect_error(ErrorKind::corrupt_data, "field 'netuid' at byte 1 of 3: compact integer of 4 bytes after its prefix, 1 left", [&] { fetch_metagraph(client, 44); });
  std::vector<uint8_t> truncated = testing::encode_metagraph(graph_with_stake(1));
  truncated.resize(200);
  node.set_metagraph(truncated);
  sn44::testing::expect_error(ErrorKind::corrupt_data, "metagraph does not decode", [&] { fetch_metagraph(client, 44); });
  node.set_metagraph({0x01, 0xb0, 0x03, 0x00, 0x00, 0x00, 0x40});  // netuid 44, then a name of 2^30 characters
  sn44::testing::expect_error(ErrorKind::corrupt_data, "field 'name' at byte 2 of 7: vector claims 1073741824 items",
                              [&] { fetch_metagraph(client, 44); });
  node.set_metagraph({0x00});
  sn44::testing::expect_error(ErrorKind::not_found, "subnet 44 does not exist", [&] { fetch_metagraph(client, 44); });
  // The client reconnected after each failure and is still usable.
  node.set_metagraph(testing::encode_metagraph(graph_with_stake(1)));
  EXPECT_EQ(fetch_metagraph(client, 44).neurons.size(), 2u);
}

TEST(MetagraphCache, SaysWhyItHasNoFirstCopy) {
  MetagraphCache cache(std::make_unique<SubstrateClient>("ws://127.0.0.1:9", std::chrono::milliseconds(500)), fast_refresh());
  EXPECT_FALSE(cache.wait_for_first(std::chrono::milliseconds(300)));
  EXPECT_FALSE(cache.status().age_seconds);
  EXPECT_FALSE(cache.find(hotkey_of(1)));
  EXPECT_TRUE(eventually([&] { return !cache.last_error().empty(); }));
  EXPECT_THAT(cache.last_error(), HasSubstr("connecting to 127.0.0.1"));
  EXPECT_FALSE(cache.status().age_seconds);
  EXPECT_GE(cache.status().consecutive_failures, 1);
}

TEST(MetagraphCache, BacksOffWhileTheNodeFails) {
  FakeSubtensor node;
  node.set_mode(FakeSubtensor::Mode::rpc_error);
  MetagraphCache::Options options;
  options.retry_interval = std::chrono::milliseconds(50);
  options.refresh_interval = std::chrono::seconds(60);
  MetagraphCache cache(std::make_unique<SubstrateClient>(node.url(), std::chrono::milliseconds(2000)), options);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  // Tries at 0, 50, 150, 350 and 750 ms; a fixed 50 ms retry would have made 20.
  EXPECT_GE(node.calls(), 2);
  EXPECT_LE(node.calls(), 6);
  EXPECT_THAT(cache.last_error(), HasSubstr("runtime unavailable"));
  // Every try failed and each one counts (the last may still be on its way back).
  const int failures = cache.status().consecutive_failures;
  EXPECT_GE(failures, node.calls() - 1);
  EXPECT_LE(failures, node.calls());
}

TEST(MetagraphCache, StopsAtOnceWhileARequestIsInFlight) {
  FakeSubtensor node;
  node.set_mode(FakeSubtensor::Mode::silent);
  auto cache = std::make_unique<MetagraphCache>(std::make_unique<SubstrateClient>(node.url(), std::chrono::seconds(30)), fast_refresh());
  ASSERT_TRUE(eventually([&] { return node.calls() >= 1; }));
  const auto start = std::chrono::steady_clock::now();
  cache.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << "not the 30 s request limit";
}

TEST(SubstrateClient, ErrorsNameTheNodeWithoutThePathOrQueryWhereProvidersPutKeys) {
  EXPECT_EQ(subtensor_display_address("wss://rpc.example:443/ws/v1/SECRETKEY"), "wss://rpc.example:443");
  EXPECT_EQ(subtensor_display_address("wss://rpc.example?apikey=SECRET"), "wss://rpc.example");
  EXPECT_EQ(subtensor_display_address("ws://user:SECRET@10.0.0.1:9944/"), "ws://10.0.0.1:9944");
  EXPECT_EQ(subtensor_display_address("ws://127.0.0.1:9944"), "ws://127.0.0.1:9944");
  EXPECT_EQ(subtensor_display_address("http://node"), "http://node");

  const Error user_part = sn44::testing::expect_error([] { SubstrateClient("ws://user:SECRET@10.0.0.1:9944", std::chrono::seconds(1)); });
  EXPECT_EQ(user_part.kind(), ErrorKind::invalid_argument);
  EXPECT_STREQ(user_part.what(), "subtensor address ws://10.0.0.1:9944 has a user part (user@host): not supported, and never shown");

  FakeSubtensor node;
  SubstrateClient client(node.url() + "/rpc?apikey=SECRET", std::chrono::milliseconds(500));
  EXPECT_EQ(client.display_address(), node.url());
  for (const auto& [mode, fragment] : {std::pair{FakeSubtensor::Mode::rpc_error, " refused state_call"},
                                       std::pair{FakeSubtensor::Mode::garbage, " answered state_call with something that is not JSON"}}) {
    node.set_mode(mode);
    const Error error = sn44::testing::expect_error([&] { fetch_metagraph(client, 44); });
    EXPECT_THAT(error.what(), HasSubstr("subtensor " + node.url() + fragment));
    EXPECT_THAT(error.what(), Not(HasSubstr("SECRET")));
  }
  node.set_mode(FakeSubtensor::Mode::answer);
  node.set_metagraph({0x00});
  const Error missing = sn44::testing::expect_error([&] { fetch_metagraph(client, 44); });
  EXPECT_THAT(missing.what(), HasSubstr("subnet 44 does not exist on " + node.url()));
  EXPECT_THAT(missing.what(), Not(HasSubstr("SECRET")));
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

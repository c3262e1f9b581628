// `sn44-miner serve` and `sn44-miner challenge` end to end on loopback, as an operator runs them:
// a miner with a wallet and a stake allowlist, a validator key, a local server holding the clip.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "core/error.h"
#include "protocol/hex.h"
#include "protocol/ss58.h"
#include "protocol/sr25519.h"
#include "server/http_client.h"
#include "support/file_text.h"
#include "support/generated_models.h"
#include "support/run_command.h"
#include "support/served_miner.h"
#include "support/synthetic_video.h"
#include "support/temp_dir.h"
#include "support/test_data.h"
#include "support/test_http_server.h"
#include "video/decoder.h"
#include "fake_subtensor.h"
#include "metagraph_builder.h"

namespace sn44::cli {
namespace {

using ::testing::HasSubstr;

using testing::free_port;
using testing::ServedMiner;
using testing::wait_until_healthy;
using testing::write_key_file;

ServedMiner served_miner(const std::filesystem::path& models) {
  return ServedMiner(SN44_MINER_EXECUTABLE, models / "player.torchscript", models / "pitch.torchscript");
}

// A synthetic clip of `frames` frames written beside the miner and served by `files` at /clip.mp4.
void serve_synthetic_clip(const ServedMiner& miner, testing::TestHttpServer& files, int frames) {
  testing::write_synthetic_video(miner.dir() / "clip.mp4", frames, 320, 240);
  files.serve_file("/clip.mp4", miner.dir() / "clip.mp4");
}

TEST(ServeCommand, AnswersASignedChallengeForARealClipAndRefusesStrangers) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, "videos/dfl_bundesliga_08fd33_4_848x478_25fps_7s.mp4");
  SN44_REQUIRE_SHARED_FILE(index_first_clip, "videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4");
  testing::TestHttpServer files;
  files.serve_file("/clip.mp4", clip);
  ServedMiner miner = served_miner(models);
  ASSERT_TRUE(miner.ready()) << miner.stop().standard_error;

  const testing::CommandResult accepted = miner.challenge("validator.json", files.url("/clip.mp4"));
  EXPECT_EQ(accepted.exit_code, 0) << accepted.standard_error;
  EXPECT_THAT(accepted.standard_output, HasSubstr("status: 200"));
  EXPECT_THAT(accepted.standard_output, HasSubstr("frames: 169"));

  files.serve("/notes.mp4", "not a video at all");
  const testing::CommandResult not_video = miner.challenge("validator.json", files.url("/notes.mp4"));
  EXPECT_NE(not_video.exit_code, 0);
  EXPECT_THAT(not_video.standard_output, HasSubstr("status: 500"));
  EXPECT_THAT(not_video.standard_output, HasSubstr("cannot open as a video container"));

  // A clip whose end is missing is answered with the frames it has, as the reference answers it.
  testing::write_truncated_copy(index_first_clip, miner.dir() / "cut.mp4", 300'000);
  files.serve_file("/cut.mp4", miner.dir() / "cut.mp4");
  const testing::CommandResult cut = miner.challenge("validator.json", files.url("/cut.mp4"));
  EXPECT_EQ(cut.exit_code, 0) << cut.standard_error;
  EXPECT_THAT(cut.standard_output, HasSubstr("status: 200"));
  int64_t decodable = 0;
  for (video::Decoder decoder(miner.dir() / "cut.mp4"); decoder.next();) ++decodable;
  EXPECT_THAT(cut.standard_output, HasSubstr("frames: " + std::to_string(decodable)));

  const testing::CommandResult refused = miner.challenge("stranger.json", files.url("/clip.mp4"));
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.standard_output, HasSubstr("status: 403"));
  EXPECT_THAT(refused.standard_output, HasSubstr("Hotkey not found in metagraph"));
  EXPECT_EQ(files.requests(), 3) << "only the accepted challenges download";

  // The development account //Alice is not in the allowlist either.
  const testing::CommandResult alice = testing::run_command(
      SN44_MINER_EXECUTABLE, {"challenge", "--miner", miner.base_url(), "--video-url", files.url("/clip.mp4"), "--dev-account",
                              "Alice", "--miner-hotkey", miner.address()});
  EXPECT_THAT(alice.standard_output, HasSubstr("status: 403"));

  const testing::CommandResult stopped = miner.stop();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.standard_error;
  EXPECT_THAT(stopped.standard_error, HasSubstr("stopped"));
  EXPECT_TRUE(std::filesystem::is_empty(miner.dir() / "downloads"));
}

TEST(ServeCommand, AnswersAChallengeForAClipTheTestWrites) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  ServedMiner miner = served_miner(models);
  testing::TestHttpServer files;
  serve_synthetic_clip(miner, files, 12);
  ASSERT_TRUE(miner.ready()) << miner.stop().standard_error;

  const testing::CommandResult accepted = miner.challenge("validator.json", files.url("/clip.mp4"), /*announced=*/true);
  EXPECT_EQ(accepted.exit_code, 0) << accepted.standard_error;
  EXPECT_THAT(accepted.standard_output, HasSubstr("status: 200"));
  EXPECT_THAT(accepted.standard_output, HasSubstr("frames: 12"));
  EXPECT_EQ(miner.stop().exit_code, 0);
  EXPECT_TRUE(std::filesystem::is_empty(miner.dir() / "downloads"));
}

TEST(ServeCommand, RefusesToStartWithoutAWallet) {
  testing::TempDir dir;
  const testing::CommandResult result = testing::run_command(
      SN44_MINER_EXECUTABLE, {"serve", "--port", "0", "--wallets-dir", (dir / "wallets").string(), "--disable-stake-check"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.standard_error, HasSubstr("key file"));
  EXPECT_THAT(result.standard_error, HasSubstr("not found"));
}

// A miner runs for months: challenge after challenge must leave no descriptor, thread or file
// behind. The first challenge may start what stays (the model's thread pools, the HTTP client).
TEST(ServeCommand, ChallengeAfterChallengeLeavesNoDescriptorsThreadsOrFiles) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  ServedMiner miner = served_miner(models);
  testing::TestHttpServer files;
  serve_synthetic_clip(miner, files, 6);
  files.serve("/notes.mp4", "not a video at all");
  ASSERT_TRUE(miner.ready()) << miner.stop().standard_error;

  std::optional<testing::ProcessStats> after_first;
  for (int round = 0; round < 4; ++round) {
    EXPECT_EQ(miner.challenge("validator.json", files.url("/clip.mp4")).exit_code, 0);
    EXPECT_NE(miner.challenge("validator.json", files.url("/notes.mp4")).exit_code, 0);  // a failed one too
    EXPECT_NE(miner.challenge("stranger.json", files.url("/clip.mp4")).exit_code, 0);
    EXPECT_TRUE(std::filesystem::is_empty(miner.dir() / "downloads")) << "round " << round;
    const testing::ProcessStats now = testing::process_stats(miner.pid());
    ASSERT_GT(now.threads, 2);           // HTTP, decode, inference at least
    ASSERT_GT(now.open_descriptors, 3);  // standard streams and the listening socket at least
    if (!after_first) {
      after_first = now;
      continue;
    }
    EXPECT_EQ(now.open_descriptors, after_first->open_descriptors) << "round " << round;
    EXPECT_EQ(now.threads, after_first->threads) << "round " << round;
  }
  EXPECT_EQ(miner.stop().exit_code, 0);
}

TEST(ServeCommand, RefusesToStartWithAMalformedWalletWithoutShowingTheSecret) {
  testing::TempDir dir;
  const std::filesystem::path key_file = dir / "wallets" / "default" / "hotkeys" / "default";
  write_key_file(key_file, 7);
  // The same file with another key's public key: the seed no longer matches it.
  std::string text = testing::file_text(key_file);
  const std::string own_public = protocol::to_hex(protocol::Keypair::from_seed(std::vector<uint8_t>(32, 7)).public_key());
  const std::string other_public = protocol::to_hex(protocol::Keypair::from_seed(std::vector<uint8_t>(32, 8)).public_key());
  text.replace(text.find(own_public, text.find("publicKey")), own_public.size(), other_public);
  std::ofstream(key_file) << text;

  const testing::CommandResult result = testing::run_command(
      SN44_MINER_EXECUTABLE, {"serve", "--port", "0", "--wallets-dir", (dir / "wallets").string(), "--disable-stake-check"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.standard_error, HasSubstr("publicKey does not match the key derived from secretSeed"));
  EXPECT_THAT(result.standard_error + result.standard_output,
              ::testing::Not(HasSubstr(protocol::to_hex(std::vector<uint8_t>(32, 7)))));
}

TEST(ServeCommand, RefusesToStartWithoutAMetagraph) {
  testing::TempDir dir;
  write_key_file(dir / "wallets" / "default" / "hotkeys" / "default", 7);
  const testing::CommandResult result = testing::run_command(
      SN44_MINER_EXECUTABLE, {"serve", "--port", "0", "--wallets-dir", (dir / "wallets").string(), "--subtensor-address",
                              "ws://127.0.0.1:9", "--metagraph-wait", "1"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.standard_error, HasSubstr("no metagraph from ws://127.0.0.1:9 within 1 s"));
  EXPECT_THAT(result.standard_error, HasSubstr("connecting to 127.0.0.1"));
}

TEST(ServeCommand, RefusesARefreshIntervalThatWouldQueryTheNodeNonStop) {
  testing::TempDir dir;
  for (const char* interval : {"0", "-5"}) {
    const testing::CommandResult result = testing::run_command(
        SN44_MINER_EXECUTABLE, {"serve", "--port", "0", "--wallets-dir", (dir / "wallets").string(), "--metagraph-refresh", interval});
    EXPECT_NE(result.exit_code, 0) << interval;
    EXPECT_THAT(result.standard_error, HasSubstr("--metagraph-refresh")) << interval;
  }
}

// A neuron of the fake chain whose hotkey is the key with this seed.
chain::testing::TestNeuron neuron_for(uint8_t seed, double stake) {
  chain::testing::TestNeuron neuron = chain::testing::test_neuron(seed, stake, true);
  neuron.hotkey = protocol::Keypair::from_seed(std::vector<uint8_t>(32, seed)).public_key();
  return neuron;
}

TEST(ServeCommand, StakesComeFromTheChainAndSurviveANodeOutage) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  const std::string miner_address = write_key_file(dir / "wallets" / "default" / "hotkeys" / "default", 7);
  write_key_file(dir / "rich.json", 8);
  write_key_file(dir / "poor.json", 10);
  write_key_file(dir / "stranger.json", 9);
  testing::write_synthetic_video(dir / "clip.mp4", 5, 320, 240);
  testing::TestHttpServer files;
  files.serve_file("/clip.mp4", dir / "clip.mp4");

  chain::testing::TestMetagraph graph;
  graph.neurons = {neuron_for(8, 5000), neuron_for(10, 10)};
  chain::testing::FakeSubtensor node;
  node.set_metagraph(chain::testing::encode_metagraph(graph));

  const uint16_t port = free_port();
  const std::string base_url = "http://127.0.0.1:" + std::to_string(port);
  testing::BackgroundProcess miner(SN44_MINER_EXECUTABLE,
                                   {"serve", "--host", "127.0.0.1", "--port", std::to_string(port), "--wallets-dir",
                                    (dir / "wallets").string(), "--subtensor-address", node.url(), "--metagraph-refresh", "0.2",
                                    "--player-model", (models / "player.torchscript").string(), "--pitch-model",
                                    (models / "pitch.torchscript").string(), "--threads", "2", "--warmup-runs", "0"});
  ASSERT_TRUE(wait_until_healthy(base_url, miner)) << miner.terminate().standard_error;
  const auto status_for = [&](const std::string& key_file) {
    const auto result = testing::run_command(SN44_MINER_EXECUTABLE, {"challenge", "--miner", base_url, "--video-url", files.url("/clip.mp4"),
                                                                     "--hotkey-file", (dir / key_file).string(), "--miner-hotkey", miner_address});
    return result.standard_output;
  };
  EXPECT_THAT(status_for("rich.json"), HasSubstr("status: 200"));
  EXPECT_THAT(status_for("stranger.json"), HasSubstr("Hotkey not found in metagraph"));
  EXPECT_THAT(status_for("poor.json"), HasSubstr("10 TAO < minimum 1000 TAO"));
  EXPECT_THAT(server::http_request("GET", base_url + "/health", {}, "", std::chrono::seconds(5)).body,
              ::testing::MatchesRegex(".*\"stake_data_age_seconds\":[0-9.e-]+.*"));
  const auto registration = [&] {
    return nlohmann::json::parse(server::http_request("GET", base_url + "/health", {}, "", std::chrono::seconds(5)).body)["registration"];
  };
  EXPECT_EQ(registration()["registered"], false) << "the miner's own hotkey is not in the metagraph";

  const auto metagraph_health = [&] {
    return nlohmann::json::parse(server::http_request("GET", base_url + "/health", {}, "", std::chrono::seconds(5)).body)["metagraph"];
  };
  // Polls /health until `condition` holds for its "metagraph" part; that part as last seen.
  const auto health_when = [&](const auto& condition) {
    nlohmann::json health = metagraph_health();
    for (int attempt = 0; attempt < 50 && !condition(health); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      health = metagraph_health();
    }
    return health;
  };
  const nlohmann::json healthy = metagraph_health();
  EXPECT_EQ(healthy["consecutive_failures"], 0) << healthy;
  EXPECT_TRUE(healthy["last_error"].is_null()) << healthy;

  node.stop();  // the chain goes away: the last copy keeps serving, and /health says why it is getting old
  const nlohmann::json outage = health_when([](const nlohmann::json& health) { return health["consecutive_failures"] >= 2; });
  EXPECT_GE(outage["consecutive_failures"], 2) << outage;
  ASSERT_TRUE(outage["last_error"].is_string()) << outage;
  EXPECT_THAT(outage["last_error"].get<std::string>(), HasSubstr("127.0.0.1"));
  EXPECT_GE(outage["last_refresh_age_seconds"].get<double>(), 0.2) << outage;
  EXPECT_THAT(status_for("rich.json"), HasSubstr("status: 200"));

  graph.neurons[1] = neuron_for(10, 2000);  // the poor validator stakes more, the miner registers, the chain comes back
  chain::testing::TestNeuron miner_neuron = neuron_for(7, 0);
  miner_neuron.ipv4 = 0x7f000001;
  miner_neuron.port = port;
  graph.neurons.push_back(miner_neuron);
  node.set_metagraph(chain::testing::encode_metagraph(graph));
  node.start();
  bool accepted = false;
  for (int attempt = 0; attempt < 50 && !accepted; ++attempt) {
    accepted = status_for("poor.json").find("status: 200") != std::string::npos;
    if (!accepted) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(accepted) << "the new stake was not picked up";
  const nlohmann::json recovered = health_when([](const nlohmann::json& health) { return health["consecutive_failures"] == 0; });
  EXPECT_EQ(recovered["consecutive_failures"], 0) << recovered;
  EXPECT_TRUE(recovered["last_error"].is_null()) << recovered;
  EXPECT_EQ(registration(), nlohmann::json({{"registered", true}, {"uid", 2}, {"axon", "127.0.0.1:" + std::to_string(port)}}));
  const testing::CommandResult stopped = miner.terminate();
  EXPECT_EQ(stopped.exit_code, 0);
  EXPECT_THAT(stopped.standard_error, HasSubstr("hotkey " + miner_address + " is not registered on the subnet"))
      << "the start-up log says why no challenges will come";
  EXPECT_THAT(stopped.standard_error, HasSubstr("registered as uid 2, axon 127.0.0.1:" + std::to_string(port)))
      << "and the log says when that changes";
}

}  // namespace
}  // namespace sn44::cli

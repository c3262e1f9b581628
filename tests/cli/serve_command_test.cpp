// `sn44-miner serve` and `sn44-miner challenge` end to end on loopback, as an operator runs them:
// a miner with a wallet and a stake allowlist, a validator key, a local server holding the clip.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <fstream>
#include <optional>
#include <thread>

#include "core/error.h"
#include "protocol/hex.h"
#include "protocol/ss58.h"
#include "protocol/sr25519.h"
#include "server/http_client.h"
#include "support/generated_models.h"
#include "support/run_command.h"
#include "support/synthetic_video.h"
#include "support/temp_dir.h"
#include "support/test_data.h"
#include "support/test_http_server.h"

namespace sn44::cli {
namespace {

using ::testing::HasSubstr;

// Writes a Bittensor key file for the key with this seed; returns its SS58 address.
std::string write_key_file(const std::filesystem::path& path, uint8_t seed_byte) {
  const std::vector<uint8_t> seed(32, seed_byte);
  const protocol::Keypair key = protocol::Keypair::from_seed(seed);
  const std::string public_hex = protocol::to_hex(key.public_key());
  const std::string address = protocol::ss58_encode(key.public_key());
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << R"({"accountId": "0x)" << public_hex << R"(", "publicKey": "0x)" << public_hex
                      << R"(", "secretPhrase": "", "secretSeed": "0x)" << protocol::to_hex(seed)
                      << R"(", "ss58Address": ")" << address << "\"}";
  return address;
}

uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

bool wait_until_healthy(const std::string& base_url, testing::BackgroundProcess& miner) {
  for (int attempt = 0; attempt < 600 && miner.running(); ++attempt) {
    try {
      if (server::http_request("GET", base_url + "/health", {}, "", std::chrono::milliseconds(1000)).status == 200) return true;
    } catch (const Error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  return false;
}

// A miner started with `serve` (a wallet, a stake allowlist naming one validator, the generated
// models), and a video server; `challenge` runs against it as an operator runs it.
class ServedMiner {
 public:
  explicit ServedMiner(const std::filesystem::path& models)
      : miner_address_(write_key_file(dir_ / "wallets" / "miner" / "hotkeys" / "default", 7)),
        port_(free_port()),
        base_url_("http://127.0.0.1:" + std::to_string(port_)) {
    const std::string validator_address = write_key_file(dir_ / "validator.json", 8);
    write_key_file(dir_ / "stranger.json", 9);
    std::ofstream(dir_ / "allowlist.txt") << "# validator stakes\n" << validator_address << " 5000\n";
    std::filesystem::create_directories(dir_ / "downloads");
    miner_.emplace(SN44_MINER_EXECUTABLE,
                   std::vector<std::string>{"serve", "--host", "127.0.0.1", "--port", std::to_string(port_), "--wallets-dir",
                                            (dir_ / "wallets").string(), "--wallet-name", "miner", "--hotkey-name", "default",
                                            "--stake-allowlist", (dir_ / "allowlist.txt").string(), "--download-folder",
                                            (dir_ / "downloads").string(), "--player-model",
                                            (models / "player.torchscript").string(), "--pitch-model",
                                            (models / "pitch.torchscript").string(), "--threads", "2", "--batch-size", "4",
                                            "--warmup-runs", "0"});
  }

  bool ready() { return wait_until_healthy(base_url_, *miner_); }
  testing::CommandResult stop() { return miner_->terminate(); }
  const std::filesystem::path& dir() const { return dir_.path(); }

  // `challenge` for the clip at `video_url`, signed with `key_file`; the miner's hotkey is given
  // explicitly or, when `announced`, read from the miner.
  testing::CommandResult challenge(const std::string& key_file, const std::string& video_url, bool announced = false) const {
    std::vector<std::string> arguments = {"challenge", "--miner", base_url_, "--video-url", video_url, "--hotkey-file",
                                          (dir_ / key_file).string()};
    if (!announced) arguments.insert(arguments.end(), {"--miner-hotkey", miner_address_});
    return testing::run_command(SN44_MINER_EXECUTABLE, arguments);
  }

 private:
  testing::TempDir dir_;
  std::string miner_address_;
  uint16_t port_;
  std::string base_url_;
  std::optional<testing::BackgroundProcess> miner_;
};

TEST(ServeCommand, AnswersASignedChallengeForARealClipAndRefusesStrangers) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, "videos/dfl_bundesliga_08fd33_4_848x478_25fps_7s.mp4");
  testing::TestHttpServer files;
  files.serve_file("/clip.mp4", clip);
  ServedMiner miner(models);
  ASSERT_TRUE(miner.ready()) << miner.stop().standard_error;

  const testing::CommandResult accepted = miner.challenge("validator.json", files.url("/clip.mp4"));
  EXPECT_EQ(accepted.exit_code, 0) << accepted.standard_error;
  EXPECT_THAT(accepted.standard_output, HasSubstr("status: 200"));
  EXPECT_THAT(accepted.standard_output, HasSubstr("frames: 169"));

  const testing::CommandResult refused = miner.challenge("stranger.json", files.url("/clip.mp4"));
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.standard_output, HasSubstr("status: 403"));
  EXPECT_THAT(refused.standard_output, HasSubstr("Hotkey not found in metagraph"));
  EXPECT_EQ(files.requests(), 1) << "only the accepted challenge downloads";

  const testing::CommandResult stopped = miner.stop();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.standard_error;
  EXPECT_THAT(stopped.standard_error, HasSubstr("stopped"));
  EXPECT_TRUE(std::filesystem::is_empty(miner.dir() / "downloads"));
}

TEST(ServeCommand, AnswersAChallengeForAClipTheTestWrites) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  ServedMiner miner(models);
  testing::write_synthetic_video(miner.dir() / "clip.mp4", 12, 320, 240);
  testing::TestHttpServer files;
  files.serve_file("/clip.mp4", miner.dir() / "clip.mp4");
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

TEST(ServeCommand, RefusesToStartWithoutAStakeSource) {
  testing::TempDir dir;
  write_key_file(dir / "wallets" / "default" / "hotkeys" / "default", 7);
  const testing::CommandResult result =
      testing::run_command(SN44_MINER_EXECUTABLE, {"serve", "--port", "0", "--wallets-dir", (dir / "wallets").string()});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.standard_error, HasSubstr("STAKE_ALLOWLIST"));
}

}  // namespace
}  // namespace sn44::cli

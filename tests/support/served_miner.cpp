#include "support/served_miner.h"

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "core/error.h"
#include "protocol/hex.h"
#include "protocol/sr25519.h"
#include "protocol/ss58.h"
#include "server/http_client.h"
#include "support/file_text.h"

namespace sn44::testing {

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

bool wait_until_healthy(const std::string& base_url, BackgroundProcess& miner) {
  for (int attempt = 0; attempt < 600 && miner.running(); ++attempt) {
    try {
      if (server::http_request("GET", base_url + "/health", {}, "", std::chrono::milliseconds(1000)).status == 200) return true;
    } catch (const Error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  return false;
}

ProcessStats process_stats(int pid) {
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  ProcessStats stats;
  // "VmRSS:    123456 kB" and "Threads:  12" lines.
  std::istringstream status(file_text(proc / "status"));
  for (std::string key; status >> key;) {
    if (key == "VmRSS:") {
      status >> stats.resident_bytes;
      stats.resident_bytes *= 1024;
    } else if (key == "Threads:") {
      status >> stats.threads;
    }
  }
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(proc / "fd")) ++stats.open_descriptors;
  return stats;
}

ServedMiner::ServedMiner(const std::filesystem::path& executable, const std::filesystem::path& player_model,
                         const std::filesystem::path& pitch_model)
    : executable_(executable),
      miner_address_(write_key_file(dir_ / "wallets" / "miner" / "hotkeys" / "default", 7)),
      port_(free_port()),
      base_url_("http://127.0.0.1:" + std::to_string(port_)) {
  const std::string validator_address = write_key_file(dir_ / "validator.json", 8);
  write_key_file(dir_ / "stranger.json", 9);
  std::ofstream(dir_ / "allowlist.txt") << "# validator stakes\n" << validator_address << " 5000\n";
  std::filesystem::create_directories(dir_ / "downloads");
  miner_.emplace(executable_,
                 std::vector<std::string>{"serve", "--host", "127.0.0.1", "--port", std::to_string(port_), "--wallets-dir",
                                          (dir_ / "wallets").string(), "--wallet-name", "miner", "--hotkey-name", "default",
                                          "--stake-allowlist", (dir_ / "allowlist.txt").string(), "--download-folder",
                                          (dir_ / "downloads").string(), "--player-model", player_model.string(),
                                          "--pitch-model", pitch_model.string(), "--threads", "2", "--batch-size", "4",
                                          "--warmup-runs", "0"});
}

CommandResult ServedMiner::challenge(const std::string& key_file, const std::string& video_url, bool announced) const {
  std::vector<std::string> arguments = {"challenge", "--miner", base_url_, "--video-url", video_url, "--hotkey-file",
                                        (dir_ / key_file).string()};
  if (!announced) arguments.insert(arguments.end(), {"--miner-hotkey", miner_address_});
  return run_command(executable_, arguments);
}

}  // namespace sn44::testing

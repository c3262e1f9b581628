// `sn44-miner challenge`: a validator's request, signed as fiber signs it, sent to a miner, with
// the answer summarised. Operators use it to test a deployment end to end.

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "core/error.h"
#include "protocol/hex.h"
#include "protocol/ss58.h"
#include "protocol/wallet.h"
#include "server/challenge_client.h"

namespace sn44::cli {
namespace {

struct ChallengeOptions {
  std::string miner_url = "http://127.0.0.1:7999";
  std::string video_url;
  std::filesystem::path hotkey_file;
  std::string dev_account;
  std::string miner_hotkey;
  std::string challenge_id = "local-test";
  double timeout_s = 240;
  bool print_body = false;
};

void print_summary(const server::HttpReply& reply) {
  std::printf("status: %ld\ntime: %.3f s\n", reply.status, reply.seconds);
  if (reply.status != 200) {
    std::printf("answer: %s\n", reply.body.c_str());
    return;
  }
  try {
    const server::ResultSummary summary = server::summarise_result(reply.body);
    std::printf("frames: %zu\nobjects: %zu\nvisible keypoints: %zu\n", summary.frames, summary.objects, summary.visible_keypoints);
  } catch (const Error& error) {
    std::printf("answer: %s\n", error.what());
  }
}

// Substrate's public development seed ("bottom drive obey lake curtain smoke basket hold race lonely
// fit walk"): //Alice, //Bob, ... are derived from it on every local chain.
constexpr const char* kDevelopmentSeed = "fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e";

std::filesystem::path default_hotkey_file() {
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : ".") / ".bittensor" / "wallets" / "default" / "hotkeys" / "default";
}

protocol::Hotkey signing_key(const ChallengeOptions& options) {
  if (!options.hotkey_file.empty() && !options.dev_account.empty())
    throw Error(ErrorKind::invalid_argument, "give only one of --hotkey-file and --dev-account");
  if (options.dev_account.empty())
    return protocol::load_hotkey(options.hotkey_file.empty() ? default_hotkey_file() : options.hotkey_file);
  const protocol::Keypair root = protocol::Keypair::from_seed(*protocol::from_hex(kDevelopmentSeed));
  protocol::Keypair account = root.derive_hard(options.dev_account);
  std::string address = protocol::ss58_encode(account.public_key());
  return {std::move(account), std::move(address)};
}

void run_challenge(const ChallengeOptions& options) {
  const protocol::Hotkey validator = signing_key(options);
  const std::chrono::milliseconds timeout(static_cast<int64_t>(options.timeout_s * 1000));
  const std::string miner_hotkey =
      options.miner_hotkey.empty() ? server::announced_miner_hotkey(options.miner_url, timeout) : options.miner_hotkey;
  const std::string body = server::challenge_body(options.challenge_id, options.video_url, server::utc_now_iso8601());
  spdlog::info("sending challenge {} to {} as {}", options.challenge_id, options.miner_url, validator.ss58_address);
  const server::HttpReply reply = server::send_challenge(options.miner_url, validator.keypair, miner_hotkey, body, timeout);
  if (options.print_body) {
    std::fwrite(reply.body.data(), 1, reply.body.size(), stdout);
    std::fputc('\n', stdout);
  } else {
    print_summary(reply);
  }
  if (reply.status != 200) throw Error(ErrorKind::unavailable, "the miner answered HTTP " + std::to_string(reply.status));
}

}  // namespace

void add_challenge_command(CLI::App& app) {
  auto options = std::make_shared<ChallengeOptions>();
  CLI::App* command = app.add_subcommand("challenge", "Send a signed challenge to a miner, as a validator does, and summarise the answer");
  command->add_option("--miner", options->miner_url, "Miner base URL")->capture_default_str();
  command->add_option("--video-url", options->video_url, "http(s) URL of the clip")->required();
  command->add_option("--hotkey-file", options->hotkey_file,
                      "Validator key file (Bittensor hotkey JSON) to sign with (default: ~/.bittensor/wallets/default/hotkeys/default)");
  command->add_option("--dev-account", options->dev_account, "Sign as a development account instead (Alice, Bob, ...: //NAME)");
  command->add_option("--miner-hotkey", options->miner_hotkey, "SS58 address of the miner's hotkey (default: the one the miner announces on /health)");
  command->add_option("--challenge-id", options->challenge_id, "challenge_id to send")->capture_default_str();
  command->add_option("--timeout", options->timeout_s, "Seconds to wait for the answer")->capture_default_str();
  command->add_flag("--print-body", options->print_body, "Print the miner's answer instead of a summary");
  command->callback([options] { run_challenge(*options); });
}

}  // namespace sn44::cli

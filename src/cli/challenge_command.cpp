// `sn44-miner challenge`: a validator's request, signed as fiber signs it, sent to a miner, with
// the answer summarised. Operators use it to test a deployment end to end.

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/error.h"
#include "protocol/fiber_request.h"
#include "protocol/hex.h"
#include "protocol/ss58.h"
#include "protocol/wallet.h"
#include "server/http_client.h"

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

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+00:00", &utc);
  return text;
}

// The body exactly as the validator's Python json.dumps writes it (", " and ": " separators).
std::string challenge_body(const ChallengeOptions& options) {
  const auto quoted = [](const std::string& text) { return nlohmann::json(text).dump(); };
  return "{\"challenge_id\": " + quoted(options.challenge_id) + ", \"type\": \"gsr\", \"video_url\": " +
         quoted(options.video_url) + ", \"created_at\": " + quoted(utc_now_iso8601()) + "}";
}

void print_summary(const server::HttpReply& reply) {
  std::printf("status: %ld\ntime: %.3f s\n", reply.status, reply.seconds);
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(reply.body);
  } catch (const nlohmann::json::exception&) {
    std::printf("answer: %zu bytes, not JSON\n", reply.body.size());
    return;
  }
  if (body.contains("detail")) std::printf("detail: %s\n", body["detail"].dump().c_str());
  if (body.contains("frames") && body["frames"].is_array()) {
    size_t objects = 0, visible_keypoints = 0;
    for (const auto& frame : body["frames"]) {
      objects += frame.value("objects", nlohmann::json::array()).size();
      for (const auto& point : frame.value("keypoints", nlohmann::json::array()))
        if (point.is_array() && point.size() == 2 && (point[0] != 0 || point[1] != 0)) ++visible_keypoints;
    }
    std::printf("frames: %zu\nobjects: %zu\nvisible keypoints: %zu\nprocessing_time: %s\n", body["frames"].size(), objects,
                visible_keypoints, body.value("processing_time", nlohmann::json()).dump().c_str());
  }
}

// Substrate's public development seed ("bottom drive obey lake curtain smoke basket hold race lonely
// fit walk"): //Alice, //Bob, ... are derived from it on every local chain.
constexpr const char* kDevelopmentSeed = "fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e";

protocol::Hotkey signing_key(const ChallengeOptions& options) {
  if (options.hotkey_file.empty() == options.dev_account.empty())
    throw Error(ErrorKind::invalid_argument, "give exactly one of --hotkey-file and --dev-account");
  if (!options.hotkey_file.empty()) return protocol::load_hotkey(options.hotkey_file);
  const protocol::Keypair root = protocol::Keypair::from_seed(*protocol::from_hex(kDevelopmentSeed));
  protocol::Keypair account = root.derive_hard(options.dev_account);
  std::string address = protocol::ss58_encode(account.public_key());
  return {std::move(account), std::move(address)};
}

void run_challenge(const ChallengeOptions& options) {
  const protocol::Hotkey validator = signing_key(options);
  const std::string body = challenge_body(options);
  const protocol::SignedHeaders signed_headers =
      protocol::sign_post(validator.keypair, options.miner_hotkey, body, protocol::make_nonce(protocol::unix_time_ns()));
  const std::map<std::string, std::string> headers = {{"Content-Type", "application/json"},
                                                      {"validator-hotkey", signed_headers.validator_hotkey},
                                                      {"miner-hotkey", signed_headers.miner_hotkey},
                                                      {"nonce", signed_headers.nonce},
                                                      {"signature", signed_headers.signature}};
  spdlog::info("sending challenge {} to {} as {}", options.challenge_id, options.miner_url, validator.ss58_address);
  const server::HttpReply reply =
      server::http_request("POST", options.miner_url + "/soccer/challenge", headers, body,
                           std::chrono::milliseconds(static_cast<int64_t>(options.timeout_s * 1000)));
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
  command->add_option("--hotkey-file", options->hotkey_file, "Validator key file (Bittensor hotkey JSON) to sign with");
  command->add_option("--dev-account", options->dev_account, "Sign as a development account instead (Alice, Bob, ...: //NAME)");
  command->add_option("--miner-hotkey", options->miner_hotkey, "SS58 address of the miner's hotkey")->required();
  command->add_option("--challenge-id", options->challenge_id, "challenge_id to send")->capture_default_str();
  command->add_option("--timeout", options->timeout_s, "Seconds to wait for the answer")->capture_default_str();
  command->add_flag("--print-body", options->print_body, "Print the miner's answer instead of a summary");
  command->callback([options] { run_challenge(*options); });
}

}  // namespace sn44::cli

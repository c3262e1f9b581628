// `sn44-miner serve`: the miner validators talk to. Loads the wallet, the stake source and the
// models (warmed up) before the port opens, then answers until SIGINT or SIGTERM.

#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "cli/metagraph_options.h"
#include "cli/pipeline_options.h"
#include "core/error.h"
#include "core/memory_allocator.h"
#include "pipeline/pipeline.h"
#include "pipeline/result_json.h"
#include "protocol/wallet.h"
#include "server/http_server.h"
#include "server/miner_service.h"
#include "server/registration.h"

namespace sn44::cli {
namespace {

struct ServeOptions {
  server::HttpServerOptions http;
  server::MinerServiceOptions service;
  std::filesystem::path wallets_dir;
  std::string wallet_name = "default";
  std::string hotkey_name = "default";
  bool require_miner_hotkey = true;
  std::filesystem::path stake_allowlist;
  bool disable_stake_check = false;
  MetagraphSettings metagraph;
  double challenge_timeout_s = 240;
  double download_timeout_s = 120;
  pipeline::PipelineConfig pipeline;
};

// The analysis behind the server's ChallengeProcessor interface.
class PipelineProcessor : public server::ChallengeProcessor {
 public:
  explicit PipelineProcessor(pipeline::PipelineConfig config) : pipeline_(std::move(config)) { log_models(pipeline_); }
  std::string process(const GrowingFile& video, const std::string& challenge_id, std::stop_token stop) override {
    const pipeline::PipelineResult result = pipeline_.process(video, {}, stop);
    warn_if_damaged(result.stats, "challenge " + challenge_id + ": ");
    return pipeline::result_to_json(challenge_id, result.frames, result.stats.total_seconds);
  }

 private:
  pipeline::Pipeline pipeline_;
};

std::filesystem::path default_wallets_dir() {
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : ".") / ".bittensor" / "wallets";
}

int wait_for_termination() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

// Whether validators can reach this miner, as the chain has it: at start-up and at every change.
void log_registration(const server::MinerRegistration& registration, const std::string& hotkey, uint16_t port) {
  if (const std::optional<std::string> problem = server::registration_problem(hotkey, registration, port)) {
    spdlog::warn("{}", *problem);
  } else {
    spdlog::info("registered as uid {}, axon {}", *registration.uid, server::axon_address(registration));
  }
}

void run_serve(ServeOptions& options) {
  // Threads started from here on inherit the mask, so only sigwait sees SIGINT and SIGTERM.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const auto key_path = protocol::hotkey_path(options.wallets_dir, options.wallet_name, options.hotkey_name);
  const protocol::Hotkey hotkey = protocol::load_hotkey(key_path);
  spdlog::info("miner hotkey {} (from {})", hotkey.ss58_address, key_path.string());
  if (options.require_miner_hotkey) options.service.own_hotkey = hotkey.ss58_address;

  std::unique_ptr<server::StakeSource> stakes;
  if (options.disable_stake_check) {
    spdlog::warn("STAKE CHECK DISABLED (DISABLE_STAKE_CHECK): any validator key may send challenges. Local testing only.");
  } else if (!options.stake_allowlist.empty()) {
    auto allowlist = std::make_unique<server::AllowlistStakeSource>(options.stake_allowlist);
    spdlog::info("stake check: {} hotkeys from {}, minimum {} TAO", allowlist->size(), options.stake_allowlist.string(),
                 options.service.min_stake);
    stakes = std::move(allowlist);
  } else {
    stakes = std::make_unique<MetagraphStakes>(options.metagraph);
  }

  options.service.challenge_time_limit = std::chrono::milliseconds(static_cast<int64_t>(options.challenge_timeout_s * 1000));
  options.service.download.total_timeout = std::chrono::milliseconds(static_cast<int64_t>(options.download_timeout_s * 1000));
  spdlog::info("loading and warming up the models (memory allocator: {})", memory_allocator());
  PipelineProcessor processor(options.pipeline);
  server::MinerService service(options.service, stakes.get(), processor);
  {
    server::HttpServer http(options.http, service);
    spdlog::info("listening on {}:{}", options.http.host, http.port());
    std::optional<server::RegistrationWatch> registration;  // reports nothing when the stakes are not from the chain
    if (stakes) {
      const uint16_t port = http.port();
      registration.emplace([&stakes, &hotkey] { return stakes->registration_of(hotkey.ss58_address); },
                           [&hotkey, port](const server::MinerRegistration& r) { log_registration(r, hotkey.ss58_address, port); },
                           std::chrono::milliseconds(static_cast<int64_t>(options.metagraph.refresh_s * 1000)));
    }
    const int received = wait_for_termination();
    spdlog::info("signal {} received: stopping", received);
    service.stop_challenges();
  }
  spdlog::info("stopped");
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  options->wallets_dir = default_wallets_dir();
  CLI::App* command = app.add_subcommand("serve", "Answer validator challenges over HTTP (the miner)");
  const std::string network = "Network";
  const std::string identity = "Identity and access";
  const std::string limits = "Limits";
  command->add_option("--host", options->http.host, "Address to listen on")->envname("HOST")->capture_default_str()->group(network);
  command->add_option("--port", options->http.port, "Port to listen on")->envname("PORT")->capture_default_str()->group(network);
  command->add_option("--io-threads", options->http.threads, "Threads answering HTTP")->envname("IO_THREADS")->capture_default_str()->group(network);
  command->add_option("--max-connections", options->http.max_connections, "Open connections at most; more are closed")
      ->envname("MAX_CONNECTIONS")->capture_default_str()->group(network);

  command->add_option("--wallets-dir", options->wallets_dir, "Folder of Bittensor wallets")->envname("WALLETS_DIR")->capture_default_str()->group(identity);
  command->add_option("--wallet-name", options->wallet_name, "Wallet holding the miner hotkey")->envname("WALLET_NAME")->capture_default_str()->group(identity);
  command->add_option("--hotkey-name", options->hotkey_name, "Miner hotkey in that wallet")->envname("HOTKEY_NAME")->capture_default_str()->group(identity);
  command->add_option("--require-miner-hotkey", options->require_miner_hotkey,
                      "Refuse requests whose miner-hotkey header is not this miner's hotkey")
      ->envname("REQUIRE_MINER_HOTKEY")->capture_default_str()->group(identity);
  command->add_option("--min-stake", options->service.min_stake, "Minimum validator stake in TAO")
      ->envname("MIN_STAKE_THRESHOLD")->capture_default_str()->group(identity);
  command->add_option("--stake-allowlist", options->stake_allowlist, "File of '<validator ss58> <stake TAO>' lines")
      ->envname("STAKE_ALLOWLIST")->group(identity);
  command->add_flag("--disable-stake-check", options->disable_stake_check, "Accept any validator key (local testing only)")
      ->envname("DISABLE_STAKE_CHECK")->group(identity);
  add_metagraph_options(*command, options->metagraph, true);

  command->add_option("--max-queued-challenges", options->service.max_queued_challenges,
                      "Challenges waiting behind the running one; more get 503")
      ->envname("MAX_QUEUED_CHALLENGES")->capture_default_str()->group(limits);
  command->add_option("--challenge-timeout", options->challenge_timeout_s, "Seconds a challenge may take in all, from its arrival (time in the queue counts)")
      ->envname("CHALLENGE_TIMEOUT_S")->capture_default_str()->group(limits);
  command->add_option("--download-timeout", options->download_timeout_s, "Seconds one download attempt may take")
      ->envname("DOWNLOAD_TIMEOUT_S")->capture_default_str()->group(limits);
  command->add_option("--download-folder", options->service.download_folder,
                      "Folder for the videos being processed (each in a private subfolder, removed afterwards)")
      ->envname("DOWNLOAD_FOLDER")->group(limits);
  command->add_option("--max-video-bytes", options->service.download.max_bytes, "Largest video accepted")
      ->envname("MAX_VIDEO_BYTES")->capture_default_str()->group(limits);
  command->add_option("--response-gzip-level", options->service.response_gzip_level,
                      "zlib level (1 fastest .. 9 smallest) for challenge answers to validators that accept gzip; 0: never")
      ->envname("RESPONSE_GZIP_LEVEL")->capture_default_str()->check(CLI::Range(0, 9))->group(network);
  add_pipeline_options(*command, options->pipeline);
  command->callback([options] { run_serve(*options); });
}

}  // namespace sn44::cli

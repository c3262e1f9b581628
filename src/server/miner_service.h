#pragma once
// The miner's HTTP API, route by route, as the reference answers it:
//   POST /soccer/challenge  authenticated (headers 422, nonce and signature 401, stake 403), body
//                           checked (400), queued (503 when full, or when its time limit runs out
//                           while it waits), downloaded and processed at once,
//                           the analysis reading the video as it arrives (500 on failure), answered
//                           200 with the result JSON;
//   GET /availability       {"available": false} while a challenge runs;
//   GET /health, GET /metrics.

#include <chrono>
#include <filesystem>
#include <optional>
#include <stop_token>
#include <string>

#include "core/growing_file.h"
#include "core/log_text.h"
#include "protocol/nonce_guard.h"
#include "server/challenge_queue.h"
#include "server/downloader.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "server/stake_gate.h"

namespace sn44::server {

// Turns the challenge video into the result body. The server knows nothing else of the analysis.
class ChallengeProcessor {
 public:
  virtual ~ChallengeProcessor() = default;
  // `video` is still downloading when this is called (its first bytes are there): read it through
  // GrowingFile's waits. Throws sn44::Error on failure (a failed download's own error when that is
  // the cause); Error(timeout) when `stop` fires.
  virtual std::string process(const GrowingFile& video, const std::string& challenge_id, std::stop_token stop) = 0;
};

struct MinerServiceOptions {
  std::optional<std::string> own_hotkey;  // when set, requests must be addressed to it
  double min_stake = 1000;                // TAO
  size_t max_queued_challenges = 2;
  std::chrono::milliseconds challenge_time_limit{240000};
  DownloadOptions download;
  std::filesystem::path download_folder;  // where each video gets its private folder; empty: the system temp folder
  int response_gzip_level = 1;            // zlib level for answers to clients that accept gzip; 0: never compress
};

class MinerService : public RequestHandler {
 public:
  // `stakes` null: no stake check (local testing only).
  MinerService(const MinerServiceOptions& options, const StakeSource* stakes, ChallengeProcessor& processor);
  ~MinerService() override;

  void handle(Request request, Responder respond) override;
  void rejected(Rejection rejection) override;

  // Stops the running challenge and answers the waiting ones (503); later challenges get 503 too.
  // The other routes keep answering. Call before the HTTP server goes.
  void stop_challenges();

  const Metrics& metrics() const { return metrics_; }

 private:
  // The answer, or nullopt when a queued challenge will answer later.
  std::optional<Response> route(const std::string& path, const Request& request, const Responder& respond);
  std::optional<Response> challenge(const Request& request, const Responder& respond);
  // The chain's record of own_hotkey, when the stake source has one.
  std::optional<MinerRegistration> own_registration() const;
  void run_challenge(const std::string& url, const std::string& challenge_id, unsigned version, bool keep_alive,
                     bool client_accepts_gzip, const Responder& respond, std::stop_token stop);

  MinerServiceOptions options_;
  const StakeSource* stakes_;
  ChallengeProcessor& processor_;
  const std::filesystem::path download_folder_;  // options_.download_folder made absolute
  Metrics metrics_;
  protocol::NonceGuard nonces_;
  ChallengeQueue queue_;
  const std::string log_prefix_;  // marks every challenge log line while the stake check is off
  LogThrottle refusal_log_{10, std::chrono::seconds(10)};
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace sn44::server

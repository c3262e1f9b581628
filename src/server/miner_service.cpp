#include "server/miner_service.h"

#include <array>
#include <limits>
#include <thread>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/error.h"
#include "core/log_text.h"
#include "protocol/fiber_request.h"
#include "server/response_compression.h"
#include "server/temp_file.h"

namespace sn44::server {
namespace {

namespace http = boost::beast::http;

constexpr const char* kChallengeRoute = "/soccer/challenge";
constexpr const char* kDownloadStage = "download";
constexpr const char* kProcessingStage = "processing";
constexpr const char* kTotalStage = "total";

// FastAPI's answer to a missing required header.
Response missing_header(const Request& request, const std::string& name) {
  const nlohmann::json detail = {{{"loc", {"header", name}}, {"msg", "field required"}, {"type", "value_error.missing"}}};
  return json_response(request.version(), request.keep_alive(), 422, nlohmann::json{{"detail", detail}});
}

// The authentication failure reasons in the metrics: the first of these words an error message
// names, else "other"; a validator under the stake threshold is "stake".
constexpr std::array<const char*, 4> kAuthFailureWords = {"nonce", "miner hotkey", "validator-hotkey", "signature"};
constexpr const char* kOtherAuthFailure = "other";
constexpr const char* kStakeAuthFailure = "stake";

std::string failure_reason(const std::string& message) {
  for (const char* reason : kAuthFailureWords)
    if (message.find(reason) != std::string::npos) return reason;
  return kOtherAuthFailure;
}

// Every series the miner can report, so that each is there at zero from the start.
KnownMetricLabels known_metric_labels() {
  KnownMetricLabels known;
  for (const Rejection rejection : kAllRejections) known.rejection_reasons.emplace_back(rejection_name(rejection));
  known.auth_failure_reasons.assign(kAuthFailureWords.begin(), kAuthFailureWords.end());
  known.auth_failure_reasons.emplace_back(kOtherAuthFailure);
  known.auth_failure_reasons.emplace_back(kStakeAuthFailure);
  known.duration_stages = {kDownloadStage, kProcessingStage, kTotalStage};
  return known;
}

// The route for the metrics: any path outside the API counts as "other", so that strangers
// probing paths cannot grow the metrics without bound.
std::string route_label(const std::string& path) {
  for (const char* route : {kChallengeRoute, "/availability", "/health", "/metrics"})
    if (path == route) return path;
  return "other";
}

// The error text for the validator: the miner's own file names (the downloaded video, its private
// folder, the download folder that holds it) replaced by neutral words. `video` is empty when the
// failure came before it had a name. The log keeps the full text.
std::string without_local_paths(std::string text, const std::filesystem::path& video, const std::filesystem::path& download_folder) {
  const auto replace_all = [&text](const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  };
  if (!video.empty()) {
    const std::string file = video.string();
    // The decoder writes "video '<path>': ...": the quotes and the word go with the path.
    for (const std::string& quoted : {"video '" + file + "'", "'" + file + "'", "\"" + file + "\""}) replace_all(quoted, "the downloaded clip");
    replace_all(file, "the downloaded clip");
    replace_all(video.parent_path().string(), "the download folder");  // other files next to it
  }
  // A failure to make the private folder names the folder it was to be made in. Only an absolute
  // path is safe to replace anywhere in the text, and the root folder is no secret.
  if (download_folder.is_absolute() && download_folder != download_folder.root_path()) replace_all(download_folder.string(), "the download folder");
  return text;
}

// The folder the private download folders go in, absolute and without a trailing separator, so
// that the error texts name it as without_local_paths looks for it. As given when the system
// cannot tell (the download then fails with the cause).
std::filesystem::path absolute_download_folder(const std::filesystem::path& configured) {
  std::error_code error;
  std::filesystem::path folder = configured.empty() ? std::filesystem::temp_directory_path(error) : configured;
  if (error) return configured;
  folder = std::filesystem::absolute(folder, error);
  if (error) return configured;
  return folder.has_filename() ? folder : folder.parent_path();
}

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::unauthorized: return 401;
    case ErrorKind::forbidden: return 403;
    default: return 500;
  }
}

}  // namespace

MinerService::MinerService(const MinerServiceOptions& options, const StakeSource* stakes, ChallengeProcessor& processor)
    : options_(options),
      stakes_(stakes),
      processor_(processor),
      download_folder_(absolute_download_folder(options.download_folder)),
      metrics_(known_metric_labels()),
      queue_(options.max_queued_challenges, options.challenge_time_limit),
      log_prefix_(stakes ? "" : "[STAKE CHECK DISABLED] ") {}

MinerService::~MinerService() { stop_challenges(); }

void MinerService::stop_challenges() { queue_.shutdown(); }

void MinerService::handle(Request request, Responder respond) {
  const std::string_view target(request.target().data(), request.target().size());
  const std::string path(target.substr(0, target.find('?')));
  std::optional<Response> response = route(path, request, respond);
  if (!response) return;
  metrics_.count_request(route_label(path), static_cast<int>(response->result_int()));
  respond(std::move(*response));
}

void MinerService::rejected(Rejection rejection) { metrics_.count_rejected(rejection_name(rejection)); }

std::optional<MinerRegistration> MinerService::own_registration() const {
  if (stakes_ == nullptr || !options_.own_hotkey) return std::nullopt;
  return stakes_->registration_of(*options_.own_hotkey);
}

std::optional<Response> MinerService::route(const std::string& path, const Request& request, const Responder& respond) {
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  const bool get = request.method() == http::verb::get;
  if (path == "/availability" && get) {
    return json_response(version, keep_alive, 200, nlohmann::json{{"available", !queue_.busy()}});
  }
  if (path == "/health" && get) {
    const double uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const std::optional<StakeSource::RefreshState> refresh = stakes_ ? stakes_->refresh_state() : std::nullopt;
    const auto optional_json = [](const auto& value) { return value ? nlohmann::json(*value) : nlohmann::json(); };
    nlohmann::json health = {{"status", "ok"},
                             {"busy", queue_.busy()},
                             {"queued_challenges", queue_.depth()},
                             {"stake_check", stakes_ != nullptr},
                             {"hotkey", optional_json(options_.own_hotkey)},
                             {"stake_data_age_seconds", refresh ? optional_json(refresh->age_seconds) : nlohmann::json()},
                             {"uptime_seconds", uptime}};
    if (const std::optional<MinerRegistration> registration = own_registration()) {
      const std::string axon = axon_address(*registration);
      health["registration"] = {{"registered", registration->uid.has_value()},
                                {"uid", optional_json(registration->uid)},
                                {"axon", axon.empty() ? nlohmann::json() : nlohmann::json(axon)}};
    }
    if (refresh) {  // only when the stakes come from the chain
      health["metagraph"] = {{"last_refresh_age_seconds", optional_json(refresh->age_seconds)},
                             {"last_error", refresh->last_error.empty() ? nlohmann::json() : nlohmann::json(refresh->last_error)},
                             {"consecutive_failures", refresh->consecutive_failures}};
    }
    return json_response(version, keep_alive, 200, health);
  }
  if (path == "/metrics" && get) {
    std::string text = metrics_.render();
    if (const std::optional<StakeSource::RefreshState> refresh = stakes_ ? stakes_->refresh_state() : std::nullopt) {
      if (refresh->age_seconds) {
        text += "# HELP sn44_stake_data_age_seconds Age of the validator stakes (metagraph copy).\n"
                "# TYPE sn44_stake_data_age_seconds gauge\nsn44_stake_data_age_seconds " +
                std::to_string(*refresh->age_seconds) + "\n";
      }
      text += "# HELP sn44_metagraph_refresh_failures Metagraph refreshes failed in a row (0 after a success).\n"
              "# TYPE sn44_metagraph_refresh_failures gauge\nsn44_metagraph_refresh_failures " +
              std::to_string(refresh->consecutive_failures) + "\n";
    }
    if (const std::optional<MinerRegistration> registration = own_registration()) {
      text += "# HELP sn44_miner_registered Whether the metagraph has the miner's hotkey (validators call only those).\n"
              "# TYPE sn44_miner_registered gauge\nsn44_miner_registered " +
              std::string(registration->uid ? "1" : "0") + "\n";
    }
    Response response = json_response(version, keep_alive, 200, std::move(text));
    response.set(http::field::content_type, "text/plain; version=0.0.4");
    return response;
  }
  if (path == kChallengeRoute && request.method() == http::verb::post) return challenge(request, respond);
  if (path == "/availability" || path == "/health" || path == "/metrics" || path == kChallengeRoute)
    return error_response(version, keep_alive, 405, "Method Not Allowed");
  return error_response(version, keep_alive, 404, "Not Found");
}

std::optional<Response> MinerService::challenge(const Request& request, const Responder& respond) {
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  protocol::SignedHeaders headers;
  for (const auto& [name, field] : {std::pair{"validator-hotkey", &headers.validator_hotkey},
                                    std::pair{"miner-hotkey", &headers.miner_hotkey}, std::pair{"nonce", &headers.nonce},
                                    std::pair{"signature", &headers.signature}}) {
    const auto value = request.find(name);
    if (value == request.end()) return missing_header(request, name);
    *field = std::string(value->value());
  }

  // Authentication before anything else: nothing is parsed or downloaded for a stranger.
  try {
    protocol::authenticate_post(headers, request.body(), nonces_, protocol::unix_time_ns(), options_.own_hotkey, [&] {
      if (stakes_) check_stake(*stakes_, headers.validator_hotkey, options_.min_stake);
    });
  } catch (const Error& error) {
    metrics_.count_auth_failure(error.kind() == ErrorKind::forbidden ? kStakeAuthFailure : failure_reason(error.what()));
    // Anyone can send these, as fast as they like: shown escaped and cut, and at most a burst per
    // window (the metrics count every one).
    if (const std::optional<size_t> held_back = refusal_log_.admit()) {
      const std::string earlier = *held_back ? " (" + std::to_string(*held_back) + " more refused before this, not logged)" : "";
      spdlog::warn("{}challenge refused ({}): {}{}", log_prefix_, log_text(headers.validator_hotkey), log_text(error.what(), 256), earlier);
    }
    return error_response(version, keep_alive, status_for(error.kind()), error.what());
  }

  nlohmann::json body;
  try {
    body = nlohmann::json::parse(request.body());
  } catch (const nlohmann::json::exception&) {
    return error_response(version, keep_alive, 400, "Request body is not valid JSON");
  }
  if (!body.is_object() || !body.contains("video_url") || !body["video_url"].is_string())
    return error_response(version, keep_alive, 400, "No video URL provided");
  const std::string url = body["video_url"].get<std::string>();
  const std::string challenge_id = body.contains("challenge_id") && body["challenge_id"].is_string()
                                       ? body["challenge_id"].get<std::string>()
                                       : body.value("challenge_id", nlohmann::json()).dump();

  const auto finish = [this, respond](Response response) {
    metrics_.count_request(kChallengeRoute, static_cast<int>(response.result_int()));
    respond(std::move(response));
  };
  const auto accept_encoding = request.find(http::field::accept_encoding);
  const bool client_accepts_gzip =
      accept_encoding != request.end() && accepts_gzip(std::string_view(accept_encoding->value().data(), accept_encoding->value().size()));
  const ChallengeQueue::Submitted submitted = queue_.submit(ChallengeQueue::Job{
      [this, url, challenge_id, version, keep_alive, client_accepts_gzip, finish](std::stop_token stop) {
        run_challenge(url, challenge_id, version, keep_alive, client_accepts_gzip, finish, stop);
      },
      [this, challenge_id, version, keep_alive, finish](ChallengeQueue::Dropped why) {
        if (why == ChallengeQueue::Dropped::shutting_down) return finish(error_response(version, keep_alive, 503, "Miner is shutting down"));
        spdlog::warn("{}challenge {} dropped: its time limit ran out while it waited", log_prefix_, challenge_id);
        metrics_.set_queue_depth(static_cast<int>(queue_.depth()));
        finish(error_response(version, keep_alive, 503, "Miner is busy: the challenge's time limit ran out while it waited"));
      }});
  metrics_.set_queue_depth(static_cast<int>(queue_.depth()));
  if (submitted != ChallengeQueue::Submitted::queued) {
    Response busy = error_response(version, keep_alive, 503,
                                   submitted == ChallengeQueue::Submitted::full ? "Miner is busy: too many challenges queued"
                                                                                : "Miner is shutting down");
    busy.set(http::field::retry_after, "10");
    return busy;
  }
  if (stakes_) {
    spdlog::info("challenge {} from {} queued: {}", challenge_id, headers.validator_hotkey, url);
  } else {
    spdlog::warn("{}challenge {} from {} queued without checking its stake: {}", log_prefix_, challenge_id, headers.validator_hotkey, url);
  }
  return std::nullopt;
}

void MinerService::run_challenge(const std::string& url, const std::string& challenge_id, unsigned version, bool keep_alive,
                                 bool client_accepts_gzip, const Responder& respond, std::stop_token stop) {
  const auto started = std::chrono::steady_clock::now();
  const auto seconds_since = [](std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
  };
  std::filesystem::path video_path;  // to take it out of the error texts validators see
  try {
    const TempFile video("challenge.mp4", download_folder_);
    video_path = video.path();
    GrowingFile arriving(video.path());
    // The download runs beside the analysis, which starts on its first bytes and keeps pace with
    // it. Stopping the challenge stops both; an analysis that fails stops the download.
    DownloadResult downloaded;
    std::jthread downloading([&](std::stop_token own) {
      try {
        downloaded = download(url, arriving, options_.download, own);
      } catch (const Error&) {
        // download() has marked `arriving` failed with this error: the analysis, or the wait for
        // the first bytes below, throws it.
      } catch (const std::exception& error) {
        arriving.fail(Error(ErrorKind::internal, std::string("download: ") + error.what()));
      }
    });
    const std::stop_callback forward_stop(stop, [&downloading] { downloading.request_stop(); });
    // A download that fails before its first byte is reported as it is; a stop reaches it through
    // `forward_stop`, so this wait ends with the download's own word on it.
    arriving.wait_for(1);
    const auto processing_started = std::chrono::steady_clock::now();
    std::string result = processor_.process(arriving, challenge_id, stop);  // on a throw, `downloading` stops and joins
    downloading.join();
    arriving.wait_for(std::numeric_limits<int64_t>::max());  // rethrows a download that failed after the analysis finished
    metrics_.add_downloaded_bytes(downloaded.bytes);
    metrics_.observe_duration(kDownloadStage, downloaded.seconds);
    metrics_.observe_duration(kProcessingStage, seconds_since(processing_started));
    metrics_.observe_duration(kTotalStage, seconds_since(started));
    Response answer = json_response(version, keep_alive, 200, std::move(result));
    const size_t result_bytes = answer.body().size();
    apply_content_encoding(answer, client_accepts_gzip, options_.response_gzip_level);
    spdlog::info("{}challenge {} answered in {:.2f} s ({} bytes downloaded in {:.2f} s, alongside the analysis; {} bytes of result, {} sent)",
                 log_prefix_, challenge_id, seconds_since(started), downloaded.bytes, downloaded.seconds, result_bytes, answer.body().size());
    respond(std::move(answer));
  } catch (const Error& error) {
    spdlog::error("{}challenge {} failed: {}", log_prefix_, challenge_id, error.what());
    respond(error_response(version, keep_alive, 500, without_local_paths(error.what(), video_path, download_folder_)));
  } catch (const std::exception& error) {
    spdlog::error("{}challenge {} failed: {}", log_prefix_, challenge_id, error.what());
    respond(error_response(version, keep_alive, 500, without_local_paths(std::string("internal error: ") + error.what(), video_path, download_folder_)));
  }
  metrics_.set_queue_depth(static_cast<int>(queue_.depth()) - 1);  // this one still counts as running
}

}  // namespace sn44::server

#include "server/challenge_client.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "protocol/fiber_request.h"

namespace sn44::server {

std::string challenge_body(const std::string& challenge_id, const std::string& video_url, const std::string& created_at) {
  // nlohmann's dump() of a string escapes as json.dumps does for the ASCII these fields hold; the
  // object itself is written by hand because dump() has no separator setting.
  const auto quoted = [](const std::string& text) { return nlohmann::json(text).dump(); };
  return "{\"challenge_id\": " + quoted(challenge_id) + ", \"type\": \"gsr\", \"video_url\": " + quoted(video_url) +
         ", \"created_at\": " + quoted(created_at) + "}";
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+00:00", &utc);
  return text;
}

std::string announced_miner_hotkey(const std::string& miner_url, std::chrono::milliseconds timeout) {
  const HttpReply reply = http_request("GET", miner_url + "/health", {}, "", timeout);
  nlohmann::json health;
  try {
    health = nlohmann::json::parse(reply.body);
  } catch (const nlohmann::json::exception&) {
  }
  if (reply.status != 200 || !health.is_object() || !health.contains("hotkey"))
    throw Error(ErrorKind::unavailable, miner_url + "/health answered HTTP " + std::to_string(reply.status) + " without a hotkey");
  if (!health["hotkey"].is_string())
    throw Error(ErrorKind::not_found, "the miner at " + miner_url + " announces no hotkey: give --miner-hotkey");
  return health["hotkey"].get<std::string>();
}

HttpReply send_challenge(const std::string& miner_url, const protocol::Keypair& validator, const std::string& miner_hotkey,
                         const std::string& body, std::chrono::milliseconds timeout) {
  const protocol::SignedHeaders signed_headers =
      protocol::sign_post(validator, miner_hotkey, body, protocol::make_nonce(protocol::unix_time_ns()));
  const std::map<std::string, std::string> headers = {{"Content-Type", "application/json"},
                                                      {"validator-hotkey", signed_headers.validator_hotkey},
                                                      {"miner-hotkey", signed_headers.miner_hotkey},
                                                      {"nonce", signed_headers.nonce},
                                                      {"signature", signed_headers.signature}};
  return http_request("POST", miner_url + "/soccer/challenge", headers, body, timeout);
}

ResultSummary summarise_result(const std::string& body) {
  nlohmann::json result;
  try {
    result = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorKind::corrupt_data, "the answer is not JSON (" + std::to_string(body.size()) + " bytes)");
  }
  if (!result.is_object() || !result.contains("frames") || !result["frames"].is_array())
    throw Error(ErrorKind::corrupt_data, "the answer has no \"frames\" list");
  ResultSummary summary;
  summary.frames = result["frames"].size();
  for (const auto& frame : result["frames"]) {
    if (!frame.is_object()) continue;
    if (const auto objects = frame.find("objects"); objects != frame.end() && objects->is_array()) summary.objects += objects->size();
    if (const auto keypoints = frame.find("keypoints"); keypoints != frame.end() && keypoints->is_array())
      for (const auto& point : *keypoints)
        if (point.is_array() && point.size() == 2 && (point[0] != 0 || point[1] != 0)) ++summary.visible_keypoints;
  }
  return summary;
}

}  // namespace sn44::server

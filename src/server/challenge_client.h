#pragma once
// The validator's side of a challenge: the body as the validator writes it, signed and posted as
// fiber does, and a summary of the answer. `sn44-miner challenge` and the tests use it.

#include <chrono>
#include <cstddef>
#include <string>

#include "protocol/sr25519.h"
#include "server/http_client.h"

namespace sn44::server {

// {"challenge_id": ..., "type": "gsr", "video_url": ..., "created_at": ...} in Python json.dumps
// format (", " and ": " separators): the exact bytes the validator hashes and signs.
std::string challenge_body(const std::string& challenge_id, const std::string& video_url, const std::string& created_at);

// The current UTC time as the validator writes created_at ("2025-08-14T12:00:00+00:00").
std::string utc_now_iso8601();

// The hotkey a miner of ours announces on GET /health. Throws Error: unavailable (no answer),
// not_found (the miner does not check the miner-hotkey header, so announces none).
std::string announced_miner_hotkey(const std::string& miner_url, std::chrono::milliseconds timeout);

// Posts `body` to <miner_url>/soccer/challenge with fiber's headers, signed by `validator` for
// the miner `miner_hotkey`, and a fresh nonce. Throws Error(unavailable) when no answer comes.
HttpReply send_challenge(const std::string& miner_url, const protocol::Keypair& validator, const std::string& miner_hotkey,
                         const std::string& body, std::chrono::milliseconds timeout);

// What a result body holds: frames, detected objects, keypoints other than [0, 0].
struct ResultSummary {
  size_t frames = 0;
  size_t objects = 0;
  size_t visible_keypoints = 0;
};

// Throws Error(corrupt_data) when `body` is not JSON with a "frames" list.
ResultSummary summarise_result(const std::string& body);

}  // namespace sn44::server

// libFuzzer target for what the miner checks on every validator request before any other work:
// the nonce, the sr25519 signature (SS58 key, hex signature, Merlin transcript, ristretto points)
// and the miner hotkey. Half of the inputs are raw header fields and a body, split at newlines; the
// other half start from a validly signed request that the rest of the input corrupts (overwrites,
// insertions, truncations in any field), so that mutations get past the format checks into
// verification. Findings: an outcome other than acceptance or Error(unauthorized); the unchanged
// request refused; a changed request accepted although what it says differs from what was signed.

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"
#include "protocol/fiber_request.h"
#include "protocol/hex.h"
#include "protocol/ss58.h"

namespace {

using sn44::protocol::SignedHeaders;

constexpr int64_t kNowNs = 1'764'547'200'000'000'000;  // the clock every input is checked at

struct SignedRequest {
  SignedHeaders headers;
  std::string body;
};

const std::string& own_hotkey() {
  static const std::string hotkey = [] {
    std::array<uint8_t, 32> seed{};
    seed.fill(2);
    return sn44::protocol::ss58_encode(sn44::protocol::Keypair::from_seed(seed).public_key());
  }();
  return hotkey;
}

const SignedRequest& valid_request() {
  static const SignedRequest request = [] {
    std::array<uint8_t, 32> seed{};
    seed.fill(1);
    const auto validator = sn44::protocol::Keypair::from_seed(seed);
    SignedRequest signed_request;
    signed_request.body = R"({"challenge_id":"1","video_url":"https://example.com/clip.mp4"})";
    signed_request.headers = sn44::protocol::sign_post(validator, own_hotkey(), signed_request.body,
                                                       std::to_string(kNowNs) + "_abcdefghij");
    return signed_request;
  }();
  return request;
}

// Accepted, or refused with Error(unauthorized); anything else aborts.
bool accepted(const SignedRequest& request) {
  sn44::protocol::NonceGuard nonces;
  try {
    sn44::protocol::authenticate_post(request.headers, request.body, nonces, kNowNs, own_hotkey());
    return true;
  } catch (const sn44::Error& error) {
    if (error.kind() != sn44::ErrorKind::unauthorized) std::abort();
    return false;
  }
}

// Whether a request says what the valid one says: the same nonce, miner and body, and the same
// validator key and signature bytes however they are spelt (hex digits in either case).
bool says_what_was_signed(const SignedRequest& request) {
  const SignedRequest& original = valid_request();
  return request.body == original.body && request.headers.nonce == original.headers.nonce &&
         request.headers.miner_hotkey == original.headers.miner_hotkey &&
         sn44::protocol::from_hex(request.headers.signature) == sn44::protocol::from_hex(original.headers.signature) &&
         sn44::protocol::ss58_decode(request.headers.validator_hotkey).public_key ==
             sn44::protocol::ss58_decode(original.headers.validator_hotkey).public_key;
}

std::string& field(SignedRequest& request, uint8_t selector) {
  switch (selector % 5) {
    case 0: return request.headers.validator_hotkey;
    case 1: return request.headers.miner_hotkey;
    case 2: return request.headers.nonce;
    case 3: return request.headers.signature;
    default: return request.body;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if (data[0] & 1) {
    // Edits of three bytes each: field and operation, position, byte.
    SignedRequest request = valid_request();
    size_t edits = 0;
    for (size_t i = 1; i + 2 < size; i += 3, ++edits) {
      std::string& text = field(request, data[i] & 7);
      const size_t position = data[i + 1] % (text.size() + 1);
      const char value = static_cast<char>(data[i + 2]);
      switch ((data[i] >> 3) % 3) {
        case 0:
          if (position < text.size()) text[position] = value;
          break;
        case 1: text.insert(position, 1, value); break;
        default: text.resize(position); break;
      }
    }
    if (accepted(request) ? !says_what_was_signed(request) : edits == 0) std::abort();
    return 0;
  }
  SignedRequest request;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (uint8_t selector = 0; selector < 5; ++selector) {
    const size_t end = selector < 4 ? rest.find('\n') : std::string_view::npos;
    field(request, selector) = std::string(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  accepted(request);
  return 0;
}

#include "protocol/fiber_request.h"

#include <sodium.h>

#include <algorithm>

#include "core/error.h"
#include "protocol/hex.h"
#include "protocol/ss58.h"

namespace sn44::protocol {
namespace {

[[noreturn]] void unauthorized(const std::string& reason) { throw Error(ErrorKind::unauthorized, reason); }

Signature parse_signature(std::string_view text) {
  if (!text.starts_with("0x")) unauthorized("signature must be 0x followed by hex");
  const auto bytes = from_hex(text);
  if (!bytes) unauthorized("signature is not hex");
  if (bytes->size() != 64) unauthorized("signature must be 64 bytes, got " + std::to_string(bytes->size()));
  Signature signature{};
  std::copy(bytes->begin(), bytes->end(), signature.begin());
  return signature;
}

PublicKey validator_key(const SignedHeaders& headers) {
  try {
    return ss58_decode(headers.validator_hotkey).public_key;
  } catch (const Error& error) {
    unauthorized(std::string("validator-hotkey: ") + error.what());
  }
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  if (sodium_init() < 0) throw Error(ErrorKind::internal, "libsodium failed to initialise");
  std::array<uint8_t, crypto_hash_sha256_BYTES> hash{};
  crypto_hash_sha256(hash.data(), reinterpret_cast<const uint8_t*>(data.data()), data.size());
  return to_hex(hash);
}

std::string post_message(std::string_view nonce, std::string_view miner_hotkey, std::string_view body) {
  std::string message = get_message(nonce, miner_hotkey);
  message += ':';
  message += sha256_hex(body);
  return message;
}

std::string get_message(std::string_view nonce, std::string_view miner_hotkey) {
  std::string message(nonce);
  message += ':';
  message += miner_hotkey;
  return message;
}

void verify_signature(const SignedHeaders& headers, std::string_view message) {
  const PublicKey key = validator_key(headers);
  const Signature signature = parse_signature(headers.signature);
  const VerifyResult plain = verify(key, message, signature);
  if (plain == VerifyResult::valid) return;
  // Polkadot wallets sign byte strings wrapped in <Bytes> tags; fiber accepts both forms.
  std::string wrapped = "<Bytes>";
  wrapped += message;
  wrapped += "</Bytes>";
  if (verify(key, wrapped, signature) == VerifyResult::valid) return;
  unauthorized(std::string("invalid signature: ") + std::string(to_string(plain)));
}

PublicKey authenticate_post(const SignedHeaders& headers, std::string_view body, NonceGuard& nonces, int64_t now_ns,
                            const std::optional<std::string>& own_hotkey, const std::function<void()>& authorise) {
  const auto refuse_nonce = [](NonceVerdict verdict) {
    if (verdict != NonceVerdict::accepted) unauthorized(std::string("invalid nonce: ") + std::string(to_string(verdict)));
  };
  refuse_nonce(nonces.screen(headers.nonce, now_ns));  // cheap, before the signature's cost
  verify_signature(headers, post_message(headers.nonce, headers.miner_hotkey, body));
  if (own_hotkey && headers.miner_hotkey != *own_hotkey) unauthorized("invalid miner hotkey: this miner is " + *own_hotkey);
  if (authorise) authorise();
  refuse_nonce(nonces.check(headers.nonce, now_ns));  // again: a copy of the request may have passed meanwhile
  return validator_key(headers);
}

std::string make_nonce(int64_t now_ns) {
  if (sodium_init() < 0) throw Error(ErrorKind::internal, "libsodium failed to initialise");
  constexpr std::string_view kAlphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string nonce = std::to_string(now_ns);
  nonce += '_';
  for (int i = 0; i < 10; ++i) nonce += kAlphanumerics[randombytes_uniform(static_cast<uint32_t>(kAlphanumerics.size()))];
  return nonce;
}

SignedHeaders sign_post(const Keypair& validator, std::string_view miner_hotkey, std::string_view body,
                        const std::string& nonce) {
  SignedHeaders headers;
  headers.validator_hotkey = ss58_encode(validator.public_key());
  headers.miner_hotkey = miner_hotkey;
  headers.nonce = nonce;
  headers.signature = "0x" + to_hex(validator.sign(post_message(nonce, miner_hotkey, body)));
  return headers;
}

}  // namespace sn44::protocol

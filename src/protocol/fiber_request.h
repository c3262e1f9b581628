#pragma once
// Signed validator requests as the `fiber` library makes them: headers validator-hotkey,
// miner-hotkey, nonce and signature (0x + hex of an sr25519 signature by the validator over
// "<nonce>:<miner-hotkey>:<sha256(body) hex>").

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/nonce_guard.h"
#include "protocol/sr25519.h"

namespace sn44::protocol {

struct SignedHeaders {
  std::string validator_hotkey;  // SS58
  std::string miner_hotkey;      // SS58
  std::string nonce;
  std::string signature;  // 0x + 128 hex digits
};

std::string sha256_hex(std::string_view data);

// The signed message of a POST with `body`, and of a GET (no body hash).
std::string post_message(std::string_view nonce, std::string_view miner_hotkey, std::string_view body);
std::string get_message(std::string_view nonce, std::string_view miner_hotkey);

// Checks the signature of `message` by the validator (plain, then wrapped in <Bytes>...</Bytes>).
// Throws Error(unauthorized) naming what is wrong.
void verify_signature(const SignedHeaders& headers, std::string_view message);

// What the miner checks before anything else, in this order: the nonce (format, window, replay),
// the signature, when `own_hotkey` is given that the request is addressed to us, and then
// `authorise` (the stake check; it throws to refuse). Throws Error(unauthorized) naming the failed
// check, or what `authorise` throws. Returns the validator's public key. The nonce is remembered
// only once every check has passed: a stranger's requests, signed or not, take no room in the
// bounded nonce table, so they cannot fill it and lock the validators out.
PublicKey authenticate_post(const SignedHeaders& headers, std::string_view body, NonceGuard& nonces, int64_t now_ns,
                            const std::optional<std::string>& own_hotkey, const std::function<void()>& authorise = {});

// A fresh nonce "<now_ns>_<10 random alphanumerics>".
std::string make_nonce(int64_t now_ns);

// The headers a validator sends with a POST of `body` to the miner `miner_hotkey`.
SignedHeaders sign_post(const Keypair& validator, std::string_view miner_hotkey, std::string_view body,
                        const std::string& nonce);

}  // namespace sn44::protocol

#pragma once
// Published sr25519 / SS58 test vectors (polkadot-js wasm-crypto, sr25519-donna, scure-sr25519 and
// py-scale-codec test suites), and a fiber request signed with @scure/sr25519 and cross-verified
// with schnorrkel.

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/hex.h"

namespace sn44::protocol::vectors {

inline std::vector<uint8_t> bytes(const std::string& hex) { return *from_hex(hex); }

template <size_t N>
std::array<uint8_t, N> array(const std::string& hex) {
  const auto data = bytes(hex);
  std::array<uint8_t, N> result{};
  std::copy(data.begin(), data.end(), result.begin());
  return result;
}

inline const std::string kAlicePublicKey = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
inline const std::string kAliceAddress = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
inline const std::string kBobAddress = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

// fiber request
inline const std::string kFiberBody =
    R"({"challenge_id": "12345", "type": "gsr", "video_url": "https://example.com/v.mp4", "created_at": "2025-08-14T12:00:00+00:00"})";
inline const std::string kFiberBodySha256 = "1862d083872bebab8ec0f685413507cd030b69142e9931d879ff2dde98041ae7";
inline const std::string kFiberNonce = "1755200000000000000_AbCdEfGhIj";
inline constexpr int64_t kFiberNonceTime = 1755200000000000000;
inline const std::string kFiberMessage =
    "1755200000000000000_AbCdEfGhIj:5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty:"
    "1862d083872bebab8ec0f685413507cd030b69142e9931d879ff2dde98041ae7";
inline const std::string kFiberSignature =
    "0xfa4de8d91c88405e458b60c1a6b307d0fec8416072a73588ebacb7c54ca8eb1ac98d34005bf5d60e8648fd05752709f472999d676b7603b"
    "b17532b15863e2a8a";
inline const std::string kFiberChallenge = "dbdc0601758e89f110a53cd9b6b3fe5e19cd29d0fac38bd9c6b89712b41ca00b";
inline const std::string kFiberSignatureOverWrapped =
    "0x84c51fc312cfcd354dd48c4582a3ee4bfff413c958a330fc02a42527c95491236214473c90dd9e1fdd4c84d76d6fe75d33b10364fc439b8"
    "4a2e8642de9a9eb8e";
inline const std::string kFiberGetMessage = "1755200000000000000_AbCdEfGhIj:5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
inline const std::string kFiberGetSignature =
    "0xfe5011d1fc09351a3b9dde795d9b52bd835a489188b648faa2aa3c5b03ef031436f200e60b741cf3d42b6f475fff3b8f27daaca74e3792f"
    "b2048e2e682b8208f";

}  // namespace sn44::protocol::vectors

#pragma once
// sr25519: Schnorr signatures over ristretto255 with Merlin transcripts, as schnorrkel (Substrate,
// Bittensor) defines them. The group and scalar arithmetic is libsodium's; the transcript is ours.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace sn44::protocol {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

// The signing context every Substrate signature uses.
inline constexpr std::string_view kSubstrateContext = "substrate";

// Why a signature was refused (or ok).
enum class VerifyResult { valid, invalid, missing_marker, non_canonical_scalar, invalid_public_key, invalid_point };
std::string_view to_string(VerifyResult result);

VerifyResult verify(const PublicKey& public_key, std::span<const uint8_t> message, const Signature& signature,
                    std::string_view context = kSubstrateContext);
VerifyResult verify(const PublicKey& public_key, std::string_view message, const Signature& signature,
                    std::string_view context = kSubstrateContext);

// The challenge scalar k of a signature with commitment R (little-endian, reduced mod l): exposed
// so that the transcript can be checked against published vectors.
std::array<uint8_t, 32> signature_challenge(const PublicKey& public_key, std::span<const uint8_t> message,
                                            const std::array<uint8_t, 32>& commitment,
                                            std::string_view context = kSubstrateContext);

// A key pair expanded from a 32-byte mini secret key (a wallet's secretSeed) in schnorrkel's
// Ed25519 mode. The secret parts are wiped when the object goes away.
class Keypair {
 public:
  static Keypair from_seed(std::span<const uint8_t> seed);  // throws Error(invalid_argument) unless 32 bytes
  ~Keypair();
  Keypair(const Keypair&);
  Keypair& operator=(const Keypair&);

  const PublicKey& public_key() const { return public_key_; }

  // Substrate's hard derivation, as in "//Alice": `junction` is a name or a number.
  Keypair derive_hard(std::string_view junction) const;

  // A fresh (randomised) signature of `message`.
  Signature sign(std::span<const uint8_t> message, std::string_view context = kSubstrateContext) const;
  Signature sign(std::string_view message, std::string_view context = kSubstrateContext) const;

 private:
  Keypair() = default;
  std::array<uint8_t, 32> secret_scalar_{};
  std::array<uint8_t, 32> nonce_seed_{};
  PublicKey public_key_{};
};

}  // namespace sn44::protocol

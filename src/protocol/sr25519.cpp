#include "protocol/sr25519.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "protocol/bytes.h"
#include "protocol/merlin.h"

namespace sn44::protocol {
namespace {

using Scalar = std::array<uint8_t, 32>;
using Point = std::array<uint8_t, 32>;

void ensure_sodium() {
  static const bool initialised = sodium_init() >= 0;
  if (!initialised) throw Error(ErrorKind::internal, "libsodium failed to initialise");
}

// The order l of the ristretto255 group, little-endian.
constexpr Scalar kGroupOrder = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

bool is_canonical(const Scalar& s) {
  for (size_t i = s.size(); i-- > 0;) {
    if (s[i] != kGroupOrder[i]) return s[i] < kGroupOrder[i];
  }
  return false;  // equal to l
}

// libsodium 1.0.18 ignores the top bit of an encoding; schnorrkel (curve25519-dalek) refuses it.
bool is_canonical_point(const std::array<uint8_t, 32>& encoding) {
  return (encoding[31] & 0x80) == 0 && crypto_core_ristretto255_is_valid_point(encoding.data()) == 1;
}

Scalar reduce_wide(const std::vector<uint8_t>& wide) {
  Scalar s{};
  crypto_core_ristretto255_scalar_reduce(s.data(), wide.data());
  return s;
}

// s * B; libsodium reports an identity result as an error, which is the zero encoding here.
Point base_multiple(const Scalar& s) {
  Point p{};
  if (crypto_scalarmult_ristretto255_base(p.data(), s.data()) != 0) p.fill(0);
  return p;
}

// The transcript up to the public key, shared by signing and verification.
Transcript signature_transcript(std::string_view context, std::span<const uint8_t> message, const PublicKey& public_key) {
  Transcript transcript("SigningContext");
  transcript.append_message("", context);
  transcript.append_message("sign-bytes", message);
  transcript.append_message("proto-name", "Schnorr-sig");
  transcript.append_message("sign:pk", public_key);
  return transcript;
}

Scalar challenge(Transcript& transcript, const Point& commitment) {
  transcript.append_message("sign:R", commitment);
  return reduce_wide(transcript.challenge_bytes("sign:c", 64));
}

}  // namespace

std::array<uint8_t, 32> signature_challenge(const PublicKey& public_key, std::span<const uint8_t> message,
                                            const std::array<uint8_t, 32>& commitment, std::string_view context) {
  Transcript transcript = signature_transcript(context, message, public_key);
  return challenge(transcript, commitment);
}

std::string_view to_string(VerifyResult result) {
  switch (result) {
    case VerifyResult::valid: return "valid";
    case VerifyResult::invalid: return "signature does not verify";
    case VerifyResult::missing_marker: return "signature lacks the sr25519 marker bit";
    case VerifyResult::non_canonical_scalar: return "signature scalar is not canonical";
    case VerifyResult::invalid_public_key: return "public key is not a valid ristretto255 point";
    case VerifyResult::invalid_point: return "signature point is not a valid ristretto255 point";
  }
  return "unknown";
}

VerifyResult verify(const PublicKey& public_key, std::span<const uint8_t> message, const Signature& signature,
                    std::string_view context) {
  ensure_sodium();
  if ((signature[63] & 0x80) == 0) return VerifyResult::missing_marker;
  Point commitment{};
  Scalar s{};
  std::copy_n(signature.begin(), 32, commitment.begin());
  std::copy_n(signature.begin() + 32, 32, s.begin());
  s[31] &= 0x7f;
  if (!is_canonical(s)) return VerifyResult::non_canonical_scalar;
  if (!is_canonical_point(public_key)) return VerifyResult::invalid_public_key;
  if (!is_canonical_point(commitment)) return VerifyResult::invalid_point;

  const Scalar k = signature_challenge(public_key, message, commitment, context);
  // R must equal s*B - k*A.
  Point k_times_a{};
  if (crypto_scalarmult_ristretto255(k_times_a.data(), k.data(), public_key.data()) != 0) k_times_a.fill(0);
  Point expected{};
  if (crypto_core_ristretto255_sub(expected.data(), base_multiple(s).data(), k_times_a.data()) != 0)
    return VerifyResult::invalid;
  return sodium_memcmp(expected.data(), commitment.data(), expected.size()) == 0 ? VerifyResult::valid
                                                                                 : VerifyResult::invalid;
}

VerifyResult verify(const PublicKey& public_key, std::string_view message, const Signature& signature,
                    std::string_view context) {
  return verify(public_key, bytes_of(message), signature, context);
}

Keypair Keypair::from_seed(std::span<const uint8_t> seed) {
  ensure_sodium();
  if (seed.size() != 32) throw Error(ErrorKind::invalid_argument, "an sr25519 seed has 32 bytes, not " + std::to_string(seed.size()));
  std::array<uint8_t, 64> hash{};
  crypto_hash_sha512(hash.data(), seed.data(), seed.size());
  Keypair keypair;
  Scalar& key = keypair.secret_scalar_;
  std::copy_n(hash.begin(), 32, key.begin());
  std::copy_n(hash.begin() + 32, 32, keypair.nonce_seed_.begin());
  sodium_memzero(hash.data(), hash.size());
  // Ed25519-style clamping, then division by the cofactor 8 (schnorrkel keeps scalars unclamped).
  key[0] &= 248;
  key[31] &= 63;
  key[31] |= 64;
  for (size_t i = 0; i < 31; ++i) key[i] = static_cast<uint8_t>((key[i] >> 3) | (key[i + 1] << 5));
  key[31] >>= 3;
  keypair.public_key_ = base_multiple(key);
  return keypair;
}

Keypair::~Keypair() {
  sodium_memzero(secret_scalar_.data(), secret_scalar_.size());
  sodium_memzero(nonce_seed_.data(), nonce_seed_.size());
}

Keypair::Keypair(const Keypair&) = default;
Keypair& Keypair::operator=(const Keypair&) = default;

Signature Keypair::sign(std::span<const uint8_t> message, std::string_view context) const {
  ensure_sodium();
  Transcript transcript = signature_transcript(context, message, public_key_);
  std::array<uint8_t, 32> entropy{};
  randombytes_buf(entropy.data(), entropy.size());
  Scalar r = reduce_wide(transcript.witness_bytes("signing", nonce_seed_, entropy));
  const Point commitment = base_multiple(r);
  const Scalar k = challenge(transcript, commitment);
  Scalar s{};
  crypto_core_ristretto255_scalar_mul(s.data(), k.data(), secret_scalar_.data());
  crypto_core_ristretto255_scalar_add(s.data(), s.data(), r.data());
  sodium_memzero(r.data(), r.size());
  Signature signature{};
  std::copy(commitment.begin(), commitment.end(), signature.begin());
  std::copy(s.begin(), s.end(), signature.begin() + 32);
  signature[63] |= 0x80;
  return signature;
}

Keypair Keypair::derive_hard(std::string_view junction) const {
  // The chain code is the junction SCALE-encoded (a number as u64, a name as a compact-length
  // prefixed string), zero-padded to 32 bytes, or hashed with blake2b-256 when longer.
  std::vector<uint8_t> encoded;
  const bool numeric = !junction.empty() && std::all_of(junction.begin(), junction.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numeric && junction.size() <= 19) {
    uint64_t value = std::stoull(std::string(junction));
    for (int i = 0; i < 8; ++i, value >>= 8) encoded.push_back(static_cast<uint8_t>(value));
  } else {
    if (junction.size() >= (1u << 14)) throw Error(ErrorKind::invalid_argument, "derivation junction too long");
    if (junction.size() < 64) {
      encoded.push_back(static_cast<uint8_t>(junction.size() << 2));
    } else {
      const auto prefix = static_cast<uint16_t>((junction.size() << 2) | 1);
      encoded.push_back(static_cast<uint8_t>(prefix));
      encoded.push_back(static_cast<uint8_t>(prefix >> 8));
    }
    encoded.insert(encoded.end(), junction.begin(), junction.end());
  }
  std::array<uint8_t, 32> chain_code{};
  if (encoded.size() > chain_code.size()) {
    crypto_generichash_blake2b(chain_code.data(), chain_code.size(), encoded.data(), encoded.size(), nullptr, 0);
  } else {
    std::copy(encoded.begin(), encoded.end(), chain_code.begin());
  }
  Transcript transcript("SchnorrRistrettoHDKD");
  transcript.append_message("sign-bytes", std::span<const uint8_t>());
  transcript.append_message("chain-code", chain_code);
  transcript.append_message("secret-key", secret_scalar_);
  std::vector<uint8_t> mini_secret = transcript.challenge_bytes("HDKD-hard", 32);
  Keypair derived = from_seed(mini_secret);
  sodium_memzero(mini_secret.data(), mini_secret.size());
  return derived;
}

Signature Keypair::sign(std::string_view message, std::string_view context) const {
  return sign(bytes_of(message), context);
}

}  // namespace sn44::protocol

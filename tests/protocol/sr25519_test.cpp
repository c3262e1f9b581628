#include "protocol/sr25519.h"

#include <gtest/gtest.h>

#include <random>

#include "core/error.h"

#include "protocol/hex.h"
#include "test_vectors.h"

namespace sn44::protocol {
namespace {

using vectors::array;

const std::string kAliceMessage = "I hereby verify that I control 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

TEST(Sr25519, PublishedSignaturesVerify) {
  const auto alice = array<32>(vectors::kAlicePublicKey);
  EXPECT_EQ(verify(alice, kAliceMessage,
                   array<64>("1037eb7e51613d0dcf5930ae518819c87d655056605764840d9280984e1b7063c4566b55bf292fcab07b369d01095879"
                             "b50517beca4d26e6a65866e25fec0d83")),
            VerifyResult::valid);
  EXPECT_EQ(verify(alice, kAliceMessage,
                   array<64>("b83881d3bd7302981ee1c504fe5b7b394682927131fc0846fd616bb40fa14d02640fd2aca785b4cb57904765c2e4e7"
                             "5f59a7dd30154c209964369912091f6981")),
            VerifyResult::valid);
}

TEST(Sr25519, ChallengeScalarMatchesTheVector) {
  const auto signature = vectors::bytes(
      "1037eb7e51613d0dcf5930ae518819c87d655056605764840d9280984e1b7063c4566b55bf292fcab07b369d01095879b50517beca4d26e6a6"
      "5866e25fec0d83");
  std::array<uint8_t, 32> commitment{};
  std::copy_n(signature.begin(), 32, commitment.begin());
  const std::string_view message = kAliceMessage;
  const auto k = signature_challenge(array<32>(vectors::kAlicePublicKey),
                                     {reinterpret_cast<const uint8_t*>(message.data()), message.size()}, commitment);
  EXPECT_EQ(to_hex(k), "40986d0651e9828a815bf109747c0afe30527c4d4720c8f722cc4ef51abfb406");
}

TEST(Sr25519, ASignatureOverTheWrappedMessageDoesNotVerifyThePlainOne) {
  const auto key = array<32>("f84d048da2ddae2d9d8fd6763f469566e8817a26114f39408de15547f6d47805");
  const auto signature = array<64>(
      "48ce2c90e08651adfc8ecef84e916f6d1bb51ebebd16150ee12df247841a5437951ea0f9d632ca165e6ab391532e75e701be6a1caa88c8a6bc"
      "ca3511f55b4183");
  EXPECT_EQ(verify(key, "<Bytes>message to sign</Bytes>", signature), VerifyResult::valid);
  EXPECT_EQ(verify(key, "message to sign", signature), VerifyResult::invalid);
}

TEST(Sr25519, MalformedSignaturesAreRefusedWithTheirReason) {
  const auto alice = array<32>(vectors::kAlicePublicKey);
  auto signature = array<64>(
      "1037eb7e51613d0dcf5930ae518819c87d655056605764840d9280984e1b7063c4566b55bf292fcab07b369d01095879b50517beca4d26e6a6"
      "5866e25fec0d83");
  auto no_marker = signature;
  no_marker[63] &= 0x7f;
  EXPECT_EQ(verify(alice, kAliceMessage, no_marker), VerifyResult::missing_marker);
  auto big_scalar = signature;
  std::fill(big_scalar.begin() + 32, big_scalar.end(), 0xff);
  EXPECT_EQ(verify(alice, kAliceMessage, big_scalar), VerifyResult::non_canonical_scalar);
  PublicKey bad_key = alice;
  bad_key[31] |= 0x80;  // not a canonical field element encoding
  EXPECT_EQ(verify(bad_key, kAliceMessage, signature), VerifyResult::invalid_public_key);
  signature[0] ^= 1;
  EXPECT_NE(verify(alice, kAliceMessage, signature), VerifyResult::valid);
}

TEST(Sr25519, MiniSecretKeysExpandLikeSchnorrkel) {
  EXPECT_EQ(to_hex(Keypair::from_seed(vectors::bytes("fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e")).public_key()),
            "46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a");
  EXPECT_EQ(to_hex(Keypair::from_seed(std::vector<uint8_t>(32, 0)).public_key()),
            "def12e42f3e487e9b14095aa8d5cc16a33491f1b50dadcf8811d1480f3fa8627");
  EXPECT_THROW(Keypair::from_seed(std::vector<uint8_t>(31, 0)), Error);
}

TEST(Sr25519, HardDerivationGivesSubstratesDevelopmentKeys) {
  // The development seed's //Alice is the well-known Alice key.
  const Keypair root = Keypair::from_seed(vectors::bytes("fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e"));
  EXPECT_EQ(to_hex(root.derive_hard("Alice").public_key()), vectors::kAlicePublicKey);
}

TEST(Sr25519, OurSignaturesVerifyAndAreRandomised) {
  std::mt19937 random(5);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<uint8_t> seed(32), message(static_cast<size_t>(random() % 200));
    for (auto& b : seed) b = static_cast<uint8_t>(random());
    for (auto& b : message) b = static_cast<uint8_t>(random());
    const Keypair keypair = Keypair::from_seed(seed);
    const Signature first = keypair.sign(message);
    EXPECT_EQ(verify(keypair.public_key(), message, first), VerifyResult::valid);
    EXPECT_NE(first, keypair.sign(message)) << "signatures must use a fresh nonce";
    message.push_back(1);
    EXPECT_EQ(verify(keypair.public_key(), message, first), VerifyResult::invalid);
  }
}

TEST(Sr25519, TheSigningContextIsPartOfTheSignature) {
  const Keypair keypair = Keypair::from_seed(std::vector<uint8_t>(32, 3));
  const Signature signature = keypair.sign("hello", "other-context");
  EXPECT_EQ(verify(keypair.public_key(), "hello", signature, "other-context"), VerifyResult::valid);
  EXPECT_EQ(verify(keypair.public_key(), "hello", signature), VerifyResult::invalid);
}

}  // namespace
}  // namespace sn44::protocol

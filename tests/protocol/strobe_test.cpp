#include <gtest/gtest.h>

#include "protocol/hex.h"
#include "protocol/keccak.h"
#include "protocol/merlin.h"
#include "protocol/strobe.h"

namespace sn44::protocol {
namespace {

std::span<const uint8_t> bytes_of(std::string_view text) { return {reinterpret_cast<const uint8_t*>(text.data()), text.size()}; }

TEST(Keccak, PermutationOfTheZeroState) {
  // Keccak team's reference: first lanes of Keccak-f[1600] applied to the all-zero state.
  KeccakState state{};
  keccak_f1600(state);
  EXPECT_EQ(state[0], 0xF1258F7940E1DDE7ULL);
  EXPECT_EQ(state[1], 0x84D5CCF933C0478AULL);
  EXPECT_EQ(state[24], 0xEAF1FF7B5CECA249ULL);
}

TEST(Strobe128, ConformanceVector) {
  Strobe128 strobe("Conformance Test Protocol");
  strobe.meta_ad(bytes_of("ms"), false);
  strobe.meta_ad(bytes_of("g"), true);
  const std::vector<uint8_t> data(1024, 0x63);
  strobe.ad(data, false);
  strobe.meta_ad(bytes_of("prf"), false);
  const auto prf1 = strobe.prf(32, false);
  EXPECT_EQ(to_hex(prf1), "b48e645ca17c667fd5206ba57a6a228d72d8e1903814d3f17f622996d7cfefb0");
  strobe.meta_ad(bytes_of("key"), false);
  strobe.key(prf1, false);
  strobe.meta_ad(bytes_of("prf"), false);
  EXPECT_EQ(to_hex(strobe.prf(32, false)), "07e45cce8078cee259e3e375bb85d75610e2d1e1201c5f645045a194edd49ff8");
}

TEST(Strobe128, ContinuingAnOperationWithOtherFlagsIsAnError) {
  Strobe128 strobe("test");
  strobe.meta_ad(bytes_of("a"), false);
  EXPECT_THROW(strobe.ad(bytes_of("b"), true), std::logic_error);
}

TEST(MerlinTranscript, EqualHistoriesGiveEqualChallengesAndAnyDifferenceChangesThem) {
  Transcript a("proto"), b("proto"), c("proto");
  a.append_message("x", "hello");
  b.append_message("x", "hello");
  c.append_message("x", "hellp");
  const auto challenge_a = a.challenge_bytes("c", 32);
  EXPECT_EQ(challenge_a, b.challenge_bytes("c", 32));
  EXPECT_NE(challenge_a, c.challenge_bytes("c", 32));
  // The transcript moves on: a second challenge differs from the first.
  EXPECT_NE(challenge_a, a.challenge_bytes("c", 32));
}

TEST(MerlinTranscript, WitnessBytesLeaveTheTranscriptUnchanged) {
  Transcript a("proto"), b("proto");
  const std::vector<uint8_t> witness(32, 7), entropy(32, 9);
  const auto first = a.witness_bytes("w", witness, entropy);
  EXPECT_EQ(first.size(), 64u);
  EXPECT_NE(first, a.witness_bytes("w", witness, std::vector<uint8_t>(32, 10)));
  EXPECT_EQ(a.challenge_bytes("c", 16), b.challenge_bytes("c", 16));
}

}  // namespace
}  // namespace sn44::protocol

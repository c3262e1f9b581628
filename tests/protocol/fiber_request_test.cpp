#include "protocol/fiber_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "support/expect_error.h"
#include "test_vectors.h"

namespace sn44::protocol {
namespace {

using ::testing::HasSubstr;

SignedHeaders vector_headers() {
  return {vectors::kAliceAddress, vectors::kBobAddress, vectors::kFiberNonce, vectors::kFiberSignature};
}

// The reason a request is refused, or "" when it is accepted.
std::string refusal(const SignedHeaders& headers, const std::string& body, NonceGuard& guard,
                    int64_t now = vectors::kFiberNonceTime + 1'000'000'000,
                    const std::optional<std::string>& own_hotkey = vectors::kBobAddress) {
  try {
    authenticate_post(headers, body, guard, now, own_hotkey);
    return "";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::unauthorized);
    return error.what();
  }
}

TEST(FiberRequest, MessageIsNonceMinerHotkeyAndBodyHash) {
  EXPECT_EQ(sha256_hex(vectors::kFiberBody), vectors::kFiberBodySha256);
  EXPECT_EQ(post_message(vectors::kFiberNonce, vectors::kBobAddress, vectors::kFiberBody), vectors::kFiberMessage);
  EXPECT_EQ(get_message(vectors::kFiberNonce, vectors::kBobAddress), vectors::kFiberGetMessage);
}

TEST(FiberRequest, TheVectorRequestIsAcceptedWithAFrozenClock) {
  NonceGuard guard;
  EXPECT_EQ(refusal(vector_headers(), vectors::kFiberBody, guard), "");
  EXPECT_THAT(refusal(vector_headers(), vectors::kFiberBody, guard), HasSubstr("already used"));
}

TEST(FiberRequest, SignatureOverTheBytesWrappedMessageIsAccepted) {
  NonceGuard guard;
  SignedHeaders headers = vector_headers();
  headers.signature = vectors::kFiberSignatureOverWrapped;
  EXPECT_EQ(refusal(headers, vectors::kFiberBody, guard), "");
}

TEST(FiberRequest, GetRequestsSignTheMessageWithoutBodyHash) {
  SignedHeaders headers = vector_headers();
  headers.signature = vectors::kFiberGetSignature;
  EXPECT_NO_THROW(verify_signature(headers, vectors::kFiberGetMessage));
}

TEST(FiberRequest, RefusalsNameTheCause) {
  NonceGuard guard;
  SignedHeaders headers = vector_headers();
  EXPECT_THAT(refusal(headers, vectors::kFiberBody + " ", guard), HasSubstr("invalid signature"));  // body changed

  headers = vector_headers();
  headers.nonce = "1755200000000000000_OtherNonce";
  EXPECT_THAT(refusal(headers, vectors::kFiberBody, guard), HasSubstr("invalid signature"));

  headers = vector_headers();
  EXPECT_THAT(refusal(headers, vectors::kFiberBody, guard, vectors::kFiberNonceTime + 121'000'000'000), HasSubstr("window"));
  headers.nonce = "not-a-nonce";
  EXPECT_THAT(refusal(headers, vectors::kFiberBody, guard), HasSubstr("malformed"));

  NonceGuard fresh;
  headers = vector_headers();
  headers.signature = vectors::kFiberSignature.substr(2);
  EXPECT_THAT(refusal(headers, vectors::kFiberBody, fresh), HasSubstr("0x"));

  NonceGuard fresh2;
  headers = vector_headers();
  headers.signature.back() = headers.signature.back() == 'a' ? 'b' : 'a';
  EXPECT_THAT(refusal(headers, vectors::kFiberBody, fresh2), HasSubstr("invalid signature"));

  NonceGuard fresh3;
  headers = vector_headers();
  // Clearing the marker bit (top bit of byte 63) must invalidate the signature.
  std::string signature = vectors::kFiberSignature;
  const int last_byte = std::stoi(signature.substr(signature.size() - 2), nullptr, 16) & 0x7f;
  char hex[3];
  std::snprintf(hex, sizeof hex, "%02x", last_byte);
  headers.signature = signature.substr(0, signature.size() - 2) + hex;
  EXPECT_THAT(refusal(headers, vectors::kFiberBody, fresh3), HasSubstr("marker"));

  NonceGuard fresh4;
  headers = vector_headers();
  EXPECT_THAT(refusal(headers, vectors::kFiberBody, fresh4, vectors::kFiberNonceTime, std::string("5SomeoneElse")),
              HasSubstr("invalid miner hotkey"));

  NonceGuard fresh5;
  headers = vector_headers();
  headers.validator_hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ";
  EXPECT_THAT(refusal(headers, vectors::kFiberBody, fresh5), HasSubstr("validator-hotkey"));
}

TEST(FiberRequest, OnlyAnAcceptedRequestTakesRoomInTheNonceTable) {
  // A table filled by refused requests would lock every validator out until its nonces expire.
  NonceGuard guard(std::chrono::seconds(120), 1);
  SignedHeaders forged = vector_headers();
  forged.signature.back() = forged.signature.back() == 'a' ? 'b' : 'a';
  EXPECT_THAT(refusal(forged, vectors::kFiberBody, guard), HasSubstr("invalid signature"));
  EXPECT_THAT(refusal(vector_headers(), vectors::kFiberBody, guard, vectors::kFiberNonceTime, std::string("5SomeoneElse")),
              HasSubstr("invalid miner hotkey"));
  EXPECT_EQ(guard.size(), 0u);

  const auto under_staked = [] { throw Error(ErrorKind::forbidden, "too little stake"); };
  const Error error = testing::expect_error([&] {
    authenticate_post(vector_headers(), vectors::kFiberBody, guard, vectors::kFiberNonceTime, vectors::kBobAddress, under_staked);
  });
  EXPECT_EQ(error.kind(), ErrorKind::forbidden);
  EXPECT_EQ(guard.size(), 0u);

  int authorised = 0;
  authenticate_post(vector_headers(), vectors::kFiberBody, guard, vectors::kFiberNonceTime, vectors::kBobAddress,
                    [&] { ++authorised; });
  EXPECT_EQ(authorised, 1);
  EXPECT_EQ(guard.size(), 1u);
  EXPECT_THAT(refusal(vector_headers(), vectors::kFiberBody, guard), HasSubstr("already used"));
  EXPECT_EQ(authorised, 1) << "a replay is refused before it is authorised";
}

TEST(FiberRequest, RequestsWeSignAreAccepted) {
  const Keypair validator = Keypair::from_seed(std::vector<uint8_t>(32, 42));
  const std::string body = R"({"challenge_id": "1", "type": "gsr", "video_url": "http://127.0.0.1/v.mp4"})";
  const int64_t now = unix_time_ns();
  const SignedHeaders headers = sign_post(validator, vectors::kBobAddress, body, make_nonce(now));
  EXPECT_THAT(headers.nonce, ::testing::MatchesRegex("[0-9]+_[A-Za-z0-9]{10}"));
  NonceGuard guard;
  EXPECT_EQ(refusal(headers, body, guard, now), "");
}

}  // namespace
}  // namespace sn44::protocol

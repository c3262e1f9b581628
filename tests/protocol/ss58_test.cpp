#include "protocol/ss58.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "protocol/hex.h"
#include "test_vectors.h"

namespace sn44::protocol {
namespace {

struct Ss58Vector {
  std::string public_key;
  uint16_t format;
  std::string address;
};

const std::vector<Ss58Vector> kVectors = {
    {vectors::kAlicePublicKey, 42, vectors::kAliceAddress},
    {"8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48", 42, vectors::kBobAddress},
    {"6a5a5957ce778c174c02c151e7c4917ac127b33ad8485f579f830fc15d31bc5a", 42, "5EU9mjvZdLRGyDFiBHjxrxvQuaaBpeTZCguhxM3yMX8cpZ2u"},
    {"44d5a3ac156335ea99d33a83c57c7146c40c8e2260a8a4adf4e7a86256454651", 4242, "mHm8k9Emsvyfp3piCauSH684iA6NakctF8dySQcX94GDdrJrE"},
};

TEST(Ss58, EncodesAndDecodesThePublishedAddresses) {
  for (const auto& vector : kVectors) {
    const auto key = vectors::array<32>(vector.public_key);
    EXPECT_EQ(ss58_encode(key, vector.format), vector.address);
    const Ss58Address decoded = ss58_decode(vector.address);
    EXPECT_EQ(decoded.format, vector.format) << vector.address;
    EXPECT_EQ(decoded.public_key, key) << vector.address;
  }
}

TEST(Ss58, DefaultsToBittensorsFormat) {
  EXPECT_EQ(ss58_encode(vectors::array<32>(vectors::kAlicePublicKey)), vectors::kAliceAddress);
}

TEST(Ss58, RejectsBadAddressesSayingWhy) {
  const auto message_of = [](const std::string& address) {
    try {
      ss58_decode(address);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  std::string corrupted = vectors::kAliceAddress;
  corrupted[10] = corrupted[10] == 'a' ? 'b' : 'a';
  EXPECT_NE(message_of(corrupted).find("checksum"), std::string::npos);
  EXPECT_NE(message_of("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQ0").find("base58"), std::string::npos);
  EXPECT_NE(message_of("5GrwvaEF5zXb26Fz9rcQpDWS57Ct").find("32-byte"), std::string::npos);
  EXPECT_NE(message_of("").find("length"), std::string::npos);
}

}  // namespace
}  // namespace sn44::protocol

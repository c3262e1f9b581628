// What the start-up log says when validators cannot reach the miner: each case of the chain's
// record of its hotkey, with the sentence an operator reads.

#include "server/registration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sn44::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kHotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

TEST(Registration, AnUnregisteredHotkeyGetsNoChallenges) {
  const auto problems = registration_problems(kHotkey, MinerRegistration{}, 8091);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr(std::string("hotkey ") + kHotkey + " is not registered on the subnet"));
  EXPECT_THAT(problems[0], HasSubstr("no challenges"));
}

TEST(Registration, AUidWithoutAnAxonCannotBeReached) {
  EXPECT_THAT(registration_problems(kHotkey, MinerRegistration{12, "", 0}, 8091),
              ElementsAre(HasSubstr("uid 12 has no axon address on the chain")));
  EXPECT_THAT(registration_problems(kHotkey, MinerRegistration{12, "203.0.113.5", 0}, 8091),
              ElementsAre(HasSubstr("uid 12 has no axon address")));
}

TEST(Registration, AnotherPortOnTheChainIsNamed) {
  EXPECT_THAT(registration_problems(kHotkey, MinerRegistration{12, "203.0.113.5", 8091}, 7999),
              ElementsAre("uid 12's axon on the chain is 203.0.113.5:8091 but this miner listens on port 7999: validators "
                          "call 8091 (fine only behind a proxy or port forward to 7999)"));
}

TEST(Registration, ARegisteredMinerAtItsPortHasNoProblem) {
  EXPECT_TRUE(registration_problems(kHotkey, MinerRegistration{0, "203.0.113.5", 8091}, 8091).empty()) << "uid 0 is a uid";
}

TEST(Registration, AxonAddressesAsValidatorsDialThem) {
  EXPECT_EQ(axon_address(MinerRegistration{1, "203.0.113.5", 8091}), "203.0.113.5:8091");
  EXPECT_EQ(axon_address(MinerRegistration{1, "2001:db8:0:0:0:0:0:1", 8091}), "[2001:db8:0:0:0:0:0:1]:8091");
  EXPECT_EQ(axon_address(MinerRegistration{1, "", 0}), "");
}

}  // namespace
}  // namespace sn44::server

// The stake gate and its allowlist file: who may send challenges, and a clear error for every
// line that cannot be read.

#include "server/stake_gate.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/expect_error.h"
#include "support/temp_dir.h"

namespace sn44::server {
namespace {

constexpr const char* kAlice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
constexpr const char* kBob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

class AllowlistTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    const std::filesystem::path path = dir_ / "allowlist.txt";
    std::ofstream(path) << text;
    return path;
  }
  testing::TempDir dir_;
};

TEST_F(AllowlistTest, ReadsHotkeysAndStakesSkippingCommentsAndBlankLines) {
  const AllowlistStakeSource source(write(std::string("# validators\n\n") + kAlice + " 1000\n  " + kBob +
                                          "\t12.5   # under-staked\n"));
  EXPECT_EQ(source.size(), 2U);
  EXPECT_EQ(source.stake_of(kAlice), 1000.0);
  EXPECT_EQ(source.stake_of(kBob), 12.5);
  EXPECT_EQ(source.stake_of("5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy"), std::nullopt);
}

TEST_F(AllowlistTest, EveryUnreadableLineIsNamed) {
  testing::expect_error(ErrorKind::invalid_argument, "line 2: expected '<ss58 hotkey> <stake in TAO>'",
                        [&] { AllowlistStakeSource(write(std::string(kAlice) + " 5\n" + kBob + "\n")); });
  testing::expect_error(ErrorKind::invalid_argument, "line 1: expected",
                        [&] { AllowlistStakeSource(write(std::string(kAlice) + " lots\n")); });
  testing::expect_error(ErrorKind::invalid_argument, "line 1: expected",
                        [&] { AllowlistStakeSource(write(std::string(kAlice) + " -3\n")); });
  testing::expect_error(ErrorKind::invalid_argument, "line 1: expected",
                        [&] { AllowlistStakeSource(write(std::string(kAlice) + " 5 extra\n")); });
  testing::expect_error(ErrorKind::invalid_argument, "line 1: ", [&] { AllowlistStakeSource(write("not-an-address 5\n")); });
  testing::expect_error(ErrorKind::not_found, "not found", [&] { AllowlistStakeSource(dir_ / "missing.txt"); });
}

TEST_F(AllowlistTest, TheGateNeedsARegisteredHotkeyWithAtLeastTheMinimumStake) {
  const AllowlistStakeSource source(write(std::string(kAlice) + " 1000\n" + kBob + " 999.5\n"));
  EXPECT_NO_THROW(check_stake(source, kAlice, 1000));  // exactly the minimum passes, as in the reference
  testing::expect_error(ErrorKind::forbidden, "Insufficient stake: 999.5 TAO < minimum 1000 TAO",
                        [&] { check_stake(source, kBob, 1000); });
  EXPECT_NO_THROW(check_stake(source, kBob, 999));
  testing::expect_error(ErrorKind::forbidden, "Hotkey not found in metagraph",
                        [&] { check_stake(source, "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy", 0); });
}

}  // namespace
}  // namespace sn44::server

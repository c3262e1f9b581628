// What the start-up log says when validators cannot reach the miner: each case of the chain's
// record of its hotkey, with the sentence an operator reads.

#include "server/registration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <thread>

namespace sn44::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

constexpr const char* kHotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

TEST(Registration, AnUnregisteredHotkeyGetsNoChallenges) {
  const std::optional<std::string> problem = registration_problem(kHotkey, MinerRegistration{}, 8091);
  ASSERT_TRUE(problem);
  EXPECT_THAT(*problem, HasSubstr(std::string("hotkey ") + kHotkey + " is not registered on the subnet"));
  EXPECT_THAT(*problem, HasSubstr("no challenges"));
}

TEST(Registration, AUidWithoutAnAxonCannotBeReached) {
  EXPECT_THAT(registration_problem(kHotkey, MinerRegistration{12, "", 0}, 8091),
              Optional(HasSubstr("uid 12 has no axon address on the chain")));
  EXPECT_THAT(registration_problem(kHotkey, MinerRegistration{12, "203.0.113.5", 0}, 8091),
              Optional(HasSubstr("uid 12 has no axon address")));
}

TEST(Registration, AnotherPortOnTheChainIsNamed) {
  EXPECT_EQ(registration_problem(kHotkey, MinerRegistration{12, "203.0.113.5", 8091}, 7999),
            std::optional<std::string>("uid 12's axon on the chain is 203.0.113.5:8091 but this miner listens on port 7999: validators "
                                       "call 8091 (fine only behind a proxy or port forward to 7999)"));
}

TEST(Registration, ARegisteredMinerAtItsPortHasNoProblem) {
  EXPECT_EQ(registration_problem(kHotkey, MinerRegistration{0, "203.0.113.5", 8091}, 8091), std::nullopt) << "uid 0 is a uid";
}

TEST(Registration, AxonAddressesAsValidatorsDialThem) {
  EXPECT_EQ(axon_address(MinerRegistration{1, "203.0.113.5", 8091}), "203.0.113.5:8091");
  EXPECT_EQ(axon_address(MinerRegistration{1, "2001:db8:0:0:0:0:0:1", 8091}), "[2001:db8:0:0:0:0:0:1]:8091");
  EXPECT_EQ(axon_address(MinerRegistration{1, "", 0}), "");
}

// The chain's record as a test sets it, and what the watch reported of it.
class WatchedChain {
 public:
  void set(std::optional<MinerRegistration> registration) {
    const std::lock_guard lock(mutex_);
    registration_ = std::move(registration);
  }
  std::optional<MinerRegistration> lookup() const {
    const std::lock_guard lock(mutex_);
    return registration_;
  }
  void report(const MinerRegistration& registration) {
    const std::lock_guard lock(mutex_);
    reports_.push_back(registration);
  }
  // The reports once there are `count` of them (or after 5 s).
  std::vector<MinerRegistration> reports(size_t count) const {
    for (int i = 0; i < 500; ++i) {
      {
        const std::lock_guard lock(mutex_);
        if (reports_.size() >= count) return reports_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const std::lock_guard lock(mutex_);
    return reports_;
  }

 private:
  mutable std::mutex mutex_;
  std::optional<MinerRegistration> registration_;
  std::vector<MinerRegistration> reports_;
};

TEST(RegistrationWatch, ReportsTheFirstStateAndEachChangeOnce) {
  WatchedChain chain;
  chain.set(MinerRegistration{});
  const MinerRegistration registered{5, "203.0.113.5", 8091};
  {
    RegistrationWatch watch([&] { return chain.lookup(); }, [&](const MinerRegistration& r) { chain.report(r); },
                            std::chrono::milliseconds(5));
    EXPECT_THAT(chain.reports(1), ElementsAre(MinerRegistration{}));
    chain.set(registered);
    EXPECT_EQ(chain.reports(2).size(), 2u);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // ten more looks at the same record
    chain.set(std::nullopt);  // a source that does not know: nothing to report
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    chain.set(MinerRegistration{});  // deregistered
    EXPECT_EQ(chain.reports(3).size(), 3u);
  }
  EXPECT_THAT(chain.reports(3), ElementsAre(MinerRegistration{}, registered, MinerRegistration{}));
}

TEST(RegistrationWatch, ASourceThatDoesNotKnowReportsNothingAndStopsAtOnce) {
  WatchedChain chain;
  const auto started = std::chrono::steady_clock::now();
  {
    RegistrationWatch watch([&] { return chain.lookup(); }, [&](const MinerRegistration& r) { chain.report(r); },
                            std::chrono::hours(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << "the destructor does not wait out the interval";
  EXPECT_TRUE(chain.reports(0).empty());
}

}  // namespace
}  // namespace sn44::server

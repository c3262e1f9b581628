// `sn44-miner --version` names the malloc in effect, and it is the one the build linked: tcmalloc
// in a normal build (the forward passes depend on it, docs/benchmarks.md), the system's in a
// sanitizer build.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/run_command.h"

namespace sn44::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(VersionFlag, NamesTheMemoryAllocatorTheBuildLinked) {
  const testing::CommandResult result = testing::run_command(SN44_MINER_EXECUTABLE, {"--version"});
  EXPECT_EQ(result.exit_code, 0) << result.standard_error;
  EXPECT_THAT(result.standard_output, StartsWith("sn44-miner "));
  EXPECT_THAT(result.standard_output, HasSubstr("(memory allocator: " SN44_EXPECTED_ALLOCATOR));
}

}  // namespace
}  // namespace sn44::cli

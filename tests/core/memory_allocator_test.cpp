// The allocator report: this test executable does not link tcmalloc, so it must say so; the
// executable that does is checked in tests/cli/version_test.cpp.

#include <gtest/gtest.h>

#include "core/memory_allocator.h"

namespace sn44 {
namespace {

TEST(MemoryAllocator, AProcessWithoutTcmallocReportsTheSystemMalloc) { EXPECT_EQ(memory_allocator(), "system malloc"); }

}  // namespace
}  // namespace sn44

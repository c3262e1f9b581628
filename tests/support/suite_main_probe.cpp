// Cases for the tests of suite_main.cpp's exit status (tests/CMakeLists.txt runs this executable
// with one suite selected at a time; it is not a test suite of its own).
#include <gtest/gtest.h>

TEST(EverySkipped, First) { GTEST_SKIP() << "no test data"; }
TEST(EverySkipped, Second) { GTEST_SKIP() << "no test data"; }

TEST(SomeSkipped, Passes) { EXPECT_EQ(2 + 2, 4); }
TEST(SomeSkipped, Skips) { GTEST_SKIP() << "no test data"; }

TEST(FailsBesideSkips, Fails) { ADD_FAILURE() << "a failure the exit status must report"; }
TEST(FailsBesideSkips, Skips) { GTEST_SKIP() << "no test data"; }

// The main() of the test executables whose GoogleTest suites CTest runs one process each
// (sn44_test WHOLE_SUITES). A suite in which every case skipped (its test data is absent) exits
// 77, which CTest reports as skipped; otherwise the exit status is GoogleTest's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  testing::InitGoogleMock(&argc, argv);
  const int status = RUN_ALL_TESTS();
  const testing::UnitTest& run = *testing::UnitTest::GetInstance();
  constexpr int kEverySelectedCaseSkipped = 77;
  if (status == 0 && run.test_to_run_count() > 0 && run.skipped_test_count() == run.test_to_run_count()) {
    return kEverySelectedCaseSkipped;
  }
  return status;
}

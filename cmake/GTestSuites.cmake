# Run by CTest, not by CMake. For a test executable declared with sn44_test(... WHOLE_SUITES), CTest
# includes a file that sets `executable` and `properties` and then this script, which lists the
# executable's GoogleTest suites and adds one test per suite: the suite's cases share one process,
# and so one start of the libraries the executable loads.
if(NOT EXISTS "${executable}")
  message(FATAL_ERROR "the test executable ${executable} is not built")
endif()
execute_process(COMMAND "${executable}" --gtest_list_tests
  OUTPUT_VARIABLE listing ERROR_VARIABLE errors RESULT_VARIABLE status TIMEOUT 120)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${executable} --gtest_list_tests failed (${status}): ${errors}")
endif()
# Suite lines are the unindented ones, "Suite." or "Suite.  # TypeParam = ..."; cases are indented.
string(REGEX MATCHALL "\n[^ \n]+\\.[ \n]" suite_lines "\n${listing}")
foreach(suite_line IN LISTS suite_lines)
  string(REGEX REPLACE "^\n(.+)\\.[ \n]$" "\\1" suite "${suite_line}")
  add_test("${suite}.*" "${executable}" "--gtest_filter=${suite}.*")
  # The executable's main() exits 77 when every case of the suite skipped.
  set_tests_properties("${suite}.*" PROPERTIES SKIP_RETURN_CODE 77 ${properties})
endforeach()

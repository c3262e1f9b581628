#pragma once
// Asserting on the project's error type: its kind and its message.

#include <gtest/gtest.h>

#include "core/error.h"

namespace sn44::testing {

// Runs `action` and returns the sn44::Error it throws; records a test failure when it throws none.
template <typename Action>
Error expect_error(Action&& action) {
  try {
    action();
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "expected an sn44::Error";
  return Error(ErrorKind::internal, "no error thrown");
}

}  // namespace sn44::testing

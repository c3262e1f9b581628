#pragma once
// Asserting on the project's error type: its kind and its message.

#include <gtest/gtest.h>

#include <string_view>
#include <utility>

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

// Runs `action` and checks that it throws an sn44::Error of `kind` whose message contains `fragment`.
template <typename Action>
void expect_error(ErrorKind kind, std::string_view fragment, Action&& action) {
  const Error error = expect_error(std::forward<Action>(action));
  EXPECT_EQ(error.kind(), kind) << error.what();
  EXPECT_NE(std::string_view(error.what()).find(fragment), std::string_view::npos)
      << "message '" << error.what() << "' does not mention '" << fragment << "'";
}

}  // namespace sn44::testing

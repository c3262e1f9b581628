#pragma once
// The models generated for the tests (tests/support/generate_test_models.sh, CTest fixture
// `test_models`), located through SN44_TEST_MODELS.

#include <gtest/gtest.h>

#include "support/test_data.h"

// Skips the current test, saying why, when the generated models are not available; otherwise
// defines `var` as their folder.
#define SN44_REQUIRE_GENERATED_MODELS(var)                                                          \
  const auto var##_optional = ::sn44::testing::generated_models_dir();                              \
  if (!var##_optional) GTEST_SKIP() << "generated test models not available (set SN44_TEST_MODELS)"; \
  const std::filesystem::path var = *var##_optional

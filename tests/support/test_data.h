#pragma once
// Locating the data the tests use. Real clips, labelled frames and models are never part of the
// repository: tests read them from the folder named by SN44_TEST_DATA and skip when it is absent.

#include <filesystem>
#include <optional>
#include <string>

namespace sn44::testing {

// The shared test-data folder (SN44_TEST_DATA), if set and present.
std::optional<std::filesystem::path> shared_data_dir();

// A file under the shared test-data folder, or nullopt when the folder or the file is missing.
std::optional<std::filesystem::path> shared_data_file(const std::string& relative_path);

// The folder of models generated for the tests (SN44_TEST_MODELS), if set and present.
std::optional<std::filesystem::path> generated_models_dir();

}  // namespace sn44::testing

// Skips the current test, saying why, when a shared data file is not available.
#define SN44_REQUIRE_SHARED_FILE(var, relative_path)                                              \
  const auto var##_optional = ::sn44::testing::shared_data_file(relative_path);                   \
  if (!var##_optional) GTEST_SKIP() << "shared test data not available (set SN44_TEST_DATA): " << (relative_path); \
  const std::filesystem::path var = *var##_optional

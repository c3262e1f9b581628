#include "support/test_data.h"

#include <cstdlib>

namespace sn44::testing {
namespace {

std::optional<std::filesystem::path> dir_from_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  std::filesystem::path dir(value);
  if (!std::filesystem::is_directory(dir)) return std::nullopt;
  return dir;
}

}  // namespace

std::optional<std::filesystem::path> shared_data_dir() { return dir_from_env("SN44_TEST_DATA"); }

std::optional<std::filesystem::path> shared_data_file(const std::string& relative_path) {
  const auto dir = shared_data_dir();
  if (!dir) return std::nullopt;
  auto file = *dir / relative_path;
  if (!std::filesystem::exists(file)) return std::nullopt;
  return file;
}

std::optional<std::filesystem::path> generated_models_dir() { return dir_from_env("SN44_TEST_MODELS"); }

}  // namespace sn44::testing

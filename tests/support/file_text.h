#pragma once
// A file's whole content for a test to look at, or a test failure naming the file.

#include <filesystem>
#include <string>

namespace sn44::testing {

// Throws std::runtime_error naming `path` when it cannot be read.
std::string file_text(const std::filesystem::path& path);

}  // namespace sn44::testing

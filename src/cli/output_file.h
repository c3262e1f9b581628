#pragma once
// Files the subcommands write for the user (results, stats, predictions).

#include <filesystem>
#include <string>

namespace sn44::cli {

// Writes through a temporary file in the same folder, so that a reader never sees half a file and a
// failed write leaves nothing behind. Throws Error naming the path.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace sn44::cli

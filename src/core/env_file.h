#pragma once
// Reading `.env` files, the way the reference miner's python-dotenv does, so that an operator's
// existing file keeps working: KEY=VALUE lines, optional `export `, '#' comments, single- or
// double-quoted values. Variables already set in the process environment win over the file.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sn44 {

using EnvEntries = std::vector<std::pair<std::string, std::string>>;

// Parses the text of a .env file. Throws Error(invalid_argument) naming the line of a malformed entry.
EnvEntries parse_env_file(std::string_view text);

// Reads `path` (if it exists) and sets each variable that the environment does not already have.
// Returns the number of variables set. A missing file is not an error: returns 0.
int load_env_file(const std::filesystem::path& path);

}  // namespace sn44

#pragma once
// Reading a whole file into memory, for the small and mid-sized inputs the miner parses (settings,
// key files, result and prediction JSON). One read straight into the string it returns: no stream
// buffer keeps a second copy, which matters for key files (the caller wipes the one copy there is).

#include <filesystem>
#include <optional>
#include <string>

namespace sn44 {

// The file's bytes; nullopt when it cannot be opened (missing, unreadable, a directory), so that the
// caller, which knows what the file is for, can say so. Throws Error(not_found) naming the file and
// the cause when reading fails after the open.
std::optional<std::string> read_file_contents(const std::filesystem::path& path);

}  // namespace sn44

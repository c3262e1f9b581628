#pragma once
// Running a program the way an operator would, for tests of the executables: arguments passed
// without a shell, standard output and error captured.

#include <filesystem>
#include <string>
#include <vector>

namespace sn44::testing {

struct CommandResult {
  int exit_code = -1;  // the program's exit status; 128 + signal number when a signal ended it
  std::string standard_output;
  std::string standard_error;
};

// Runs `program` with `arguments` and waits for it. Throws std::runtime_error when it cannot start.
CommandResult run_command(const std::filesystem::path& program, const std::vector<std::string>& arguments);

}  // namespace sn44::testing

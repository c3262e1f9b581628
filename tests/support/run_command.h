#pragma once
// Running a program the way an operator would, for tests of the executables: arguments passed
// without a shell, standard output and error captured.

#include <filesystem>
#include <memory>
#include <optional>

#include "support/temp_dir.h"
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

// A program running beside the test (a server), killed if the test ends without stopping it.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::filesystem::path& program, const std::vector<std::string>& arguments);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  int pid() const { return pid_; }
  bool running();
  // Sends SIGTERM and waits; returns the exit code and the output so far.
  CommandResult terminate();

 private:
  TempDir output_dir_;
  int pid_ = -1;
  std::optional<int> exit_status_;  // wait status, once it has ended
};

}  // namespace sn44::testing

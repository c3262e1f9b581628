#include "support/run_command.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "support/file_text.h"
#include "support/temp_dir.h"

extern char** environ;

namespace sn44::testing {
namespace {

// Starts `program` with stdin from /dev/null and stdout/stderr into files in `dir`.
pid_t spawn(const std::filesystem::path& program, const std::vector<std::string>& arguments, const TempDir& dir) {
  const std::string out_path = (dir / "stdout").string();
  const std::string err_path = (dir / "stderr").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);

  const std::string program_string = program.string();
  std::vector<std::string> argument_strings{program_string};
  argument_strings.insert(argument_strings.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argument_strings) argv.push_back(argument.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int spawn_error = posix_spawn(&pid, program_string.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) throw std::runtime_error("cannot start " + program_string + ": " + std::strerror(spawn_error));
  return pid;
}

int wait_status(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
  }
  return status;
}

CommandResult result_of(int status, const TempDir& dir) {
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.standard_output = file_text(dir / "stdout");
  result.standard_error = file_text(dir / "stderr");
  return result;
}

}  // namespace

CommandResult run_command(const std::filesystem::path& program, const std::vector<std::string>& arguments) {
  // Output goes to files rather than pipes so that a chatty program cannot block on a full pipe.
  const TempDir dir;
  return result_of(wait_status(spawn(program, arguments, dir)), dir);
}

BackgroundProcess::BackgroundProcess(const std::filesystem::path& program, const std::vector<std::string>& arguments)
    : pid_(spawn(program, arguments, output_dir_)) {}

BackgroundProcess::~BackgroundProcess() {
  if (!exit_status_) {
    kill(pid_, SIGKILL);
    wait_status(pid_);
  }
}

bool BackgroundProcess::running() {
  int status = 0;
  if (!exit_status_ && waitpid(pid_, &status, WNOHANG) == pid_) exit_status_ = status;
  return !exit_status_;
}

CommandResult BackgroundProcess::terminate() {
  if (!exit_status_) {
    kill(pid_, SIGTERM);
    exit_status_ = wait_status(pid_);
  }
  return result_of(*exit_status_, output_dir_);
}

}  // namespace sn44::testing

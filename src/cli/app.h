#pragma once
// The sn44-miner command line: one CLI11 application with a subcommand per job. Each subcommand
// lives in its own <name>_command.cpp and registers itself through an add_<name>_command function.

#include <CLI/CLI.hpp>

namespace sn44::cli {

// Runs the whole command line and returns the process exit code. Errors are printed on stderr as
// one line naming the cause; nothing escapes as an exception.
int run(int argc, char** argv);

// Exit codes, so that scripts can tell the causes apart.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;        // the job failed (bad input, processing error)
inline constexpr int kExitUsage = 2;          // the command line itself is wrong
inline constexpr int kExitUnavailable = 3;    // a remote service or resource could not be reached

}  // namespace sn44::cli

#pragma once
// Registration of every subcommand. Each add_*_command is defined in its own <name>_command.cpp.

#include <CLI/CLI.hpp>

namespace sn44::cli {

void add_all_commands(CLI::App& app);

void add_process_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_challenge_command(CLI::App& app);
void add_metagraph_command(CLI::App& app);
void add_score_command(CLI::App& app);
void add_eval_command(CLI::App& app);

}  // namespace sn44::cli

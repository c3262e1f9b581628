#include "cli/app.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "core/env_file.h"
#include "core/error.h"
#include "core/memory_allocator.h"

namespace sn44::cli {
namespace {

// The .env file must be read before CLI11 parses, because options take their defaults from the
// environment. Its path can itself be given on the command line, so look for it first.
std::string find_env_file_argument(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--env-file" && i + 1 < argc) return argv[i + 1];
    if (arg.starts_with("--env-file=")) return std::string(arg.substr(11));
  }
  return ".env";
}

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::unavailable:
    case ErrorKind::timeout: return kExitUnavailable;
    case ErrorKind::invalid_argument: return kExitUsage;
    default: return kExitFailure;
  }
}

}  // namespace

int run(int argc, char** argv) {
  // Logs go to standard error: standard output carries results (`process` without --output).
  spdlog::set_default_logger(spdlog::stderr_color_mt("sn44"));
  CLI::App app{"sn44-miner: a fast miner for Bittensor subnet 44 (Score Vision, soccer video analysis)"};
  app.require_subcommand(1);
  app.fallthrough();
  // A repeated option takes its last value, so scripts can append overrides to a base command line.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // global options (--log-level, --env-file) also after the subcommand
  app.set_version_flag("--version", std::string("sn44-miner ") + SN44_VERSION + " (memory allocator: " + memory_allocator() + ")");
  std::string env_file = ".env";
  app.add_option("--env-file", env_file, "Settings file read before the environment (KEY=VALUE lines)")
      ->capture_default_str();
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "Logging verbosity: trace, debug, info, warn, error, off")
      ->envname("LOG_LEVEL")
      ->capture_default_str();
  app.parse_complete_callback([&] { spdlog::set_level(spdlog::level::from_str(log_level)); });

  add_all_commands(app);

  try {
    load_env_file(find_env_file_argument(argc, argv));
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return exit_code_for(e.kind());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace sn44::cli

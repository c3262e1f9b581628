#pragma once
// The analysis settings shared by every subcommand that runs the models (process, serve, eval):
// each one a flag with an environment variable of the same meaning (flags win, then the
// environment, then the .env file, then the default).

#include <CLI/CLI.hpp>

#include "pipeline/pipeline.h"

namespace sn44::cli {

void add_pipeline_options(CLI::App& command, pipeline::PipelineConfig& config);

}  // namespace sn44::cli

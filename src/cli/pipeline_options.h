#pragma once
// The analysis settings shared by every subcommand that runs the models (process, serve, eval):
// each one a flag with an environment variable of the same meaning (flags win, then the
// environment, then the .env file, then the default). And what those subcommands say of the
// models loaded and of a clip the analysis could read only in part.

#include <CLI/CLI.hpp>

#include <string>

#include "pipeline/pipeline.h"

namespace sn44::cli {

void add_pipeline_options(CLI::App& command, pipeline::PipelineConfig& config);

// One line per model (file, input size, classes, device), then a warning per model note.
void log_models(const pipeline::Pipeline& analysis);

// A warning when the clip's decoding ended early (stats.damage): the result holds the frames
// before the damage. `context` starts the line (e.g. "challenge 42: ").
void warn_if_damaged(const pipeline::PipelineStats& stats, const std::string& context = "");

}  // namespace sn44::cli

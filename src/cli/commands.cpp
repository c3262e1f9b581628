#include "cli/commands.h"

namespace sn44::cli {

void add_all_commands(CLI::App& app) {
  add_process_command(app);
  add_serve_command(app);
  add_challenge_command(app);
  add_metagraph_command(app);
  add_score_command(app);
  add_eval_command(app);
}

}  // namespace sn44::cli

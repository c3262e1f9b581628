#include "cli/commands.h"

namespace sn44::cli {

void add_all_commands(CLI::App& app) { (void)app; }

}  // namespace sn44::cli

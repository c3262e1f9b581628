#include "cli/app.h"

int main(int argc, char** argv) { return sn44::cli::run(argc, argv); }

#!/usr/bin/env bash
# Sets up sn44-miner on a fresh Debian 12 machine: installs every dependency from Debian's packages
# (and the npm packages the interoperability tests use), builds the Release binaries, generates the
# demo models and clip, and runs the miner's `process` job on that clip.
#
#   scripts/setup.sh            everything
#   SN44_SKIP_DEMO=1 scripts/setup.sh   install and build only
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "Installing Debian packages"
install_debian_packages

step "Installing npm packages for the interoperability tests"
install_npm_packages

step "Building (Release) in build/"
configure_release build

if [[ "${SN44_SKIP_DEMO:-0}" != 1 ]]; then
  step "Running the miner on the bundled demo clip"
  run_demo build
fi
step "Setup complete"

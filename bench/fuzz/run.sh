#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer) in
# build-fuzz/ and runs the metagraph decoder's for the given number of seconds (default 300).
#   bench/fuzz/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-300}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSN44_BUILD_FUZZ=ON \
  -DSN44_BUILD_TESTS=ON -DSN44_BUILD_BENCH=ON
cmake --build build-fuzz --target metagraph_fuzz --parallel "$(nproc)"
mkdir -p build-fuzz/corpus/metagraph
build-fuzz/bench/metagraph_fuzz -max_total_time="$seconds" -print_final_stats=1 build-fuzz/corpus/metagraph

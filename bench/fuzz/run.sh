#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer) in
# build-fuzz/ and runs the metagraph decoder's for the given number of seconds (default 120). Exits
# non-zero on any crash, leak or sanitizer report (libFuzzer writes the input as build-fuzz/crash-*).
#   bench/fuzz/run.sh [seconds]
# The corpus lives in build-fuzz/corpus/metagraph (not in git). It is seeded with answers encoded
# by @polkadot/types when node and the packages of tests/interop/scale are there.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-120}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSN44_BUILD_FUZZ=ON \
  -DSN44_BUILD_TESTS=ON -DSN44_BUILD_BENCH=ON
cmake --build build-fuzz --target metagraph_fuzz --parallel 2

corpus=build-fuzz/corpus/metagraph
mkdir -p "$corpus"
interop=tests/interop/scale
if command -v node >/dev/null && [[ -d $interop/node_modules/@polkadot/types ]]; then
  # One file per answer: the fixed unit-test cases and a few random ones.
  for arguments in "fixed" "12 1"; do
    # shellcheck disable=SC2086  # the arguments are two words on purpose
    node "$interop/build_metagraphs.mjs" $arguments | node -e '
      const fs = require("fs");
      const [dir, tag] = process.argv.slice(1);
      JSON.parse(fs.readFileSync(0, "utf8")).forEach((c, i) =>
        fs.writeFileSync(`${dir}/polkadot-${tag}-${i}`, Buffer.from(c.scale.slice(2), "hex")));
    ' "$corpus" "${arguments// /-}"
  done
else
  echo "node or the npm packages of $interop are missing: starting from an empty corpus" >&2
fi

cd build-fuzz
bench/metagraph_fuzz -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 corpus/metagraph

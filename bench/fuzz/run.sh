#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer) in
# build-fuzz/ and runs each for the given number of seconds (default 120): the metagraph decoder
# (bytes from the chain), the request authentication (headers and bodies from the network), the
# MP4 box walk (the first bytes of a downloaded clip) and the decoding of a downloaded clip.
# Exits non-zero on any crash, leak or sanitizer report (libFuzzer writes the input as
# build-fuzz/crash-*). The targets run side by side, one per core.
#   bench/fuzz/run.sh [seconds]
# The corpora live in build-fuzz/corpus/<target> (not in git). The metagraph one is seeded with
# answers encoded by @polkadot/types when node and the packages of tests/interop/scale are there;
# the request target builds its own valid requests; the MP4 one starts from the test clips' first
# bytes when SN44_TEST_DATA (default ../shared/data) has them; the decoder one from tiny clips
# ffmpeg writes (H.264 and MPEG-4, 4:2:0 and 4:4:4, one turned by a display matrix) and the test
# clips' first 64 KiB.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-120}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSN44_BUILD_FUZZ=ON \
  -DSN44_BUILD_TESTS=ON -DSN44_BUILD_BENCH=ON
cmake --build build-fuzz --target metagraph_fuzz request_fuzz mp4_layout_fuzz decoder_fuzz --parallel 2

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

data=${SN44_TEST_DATA:-../shared/data}
mkdir -p build-fuzz/corpus/mp4_layout build-fuzz/corpus/decoder
if [[ -d "$data/videos" ]]; then
  for clip in "$data"/videos/*.mp4; do
    head -c 4096 "$clip" > "build-fuzz/corpus/mp4_layout/$(basename "$clip" .mp4)"
    head -c 65536 "$clip" > "build-fuzz/corpus/decoder/$(basename "$clip" .mp4)"
  done
fi
seeds=build-fuzz/corpus/decoder
make_seed() {  # name, then ffmpeg output options
  local name=$1
  shift
  ffmpeg -loglevel error -y -f lavfi -i testsrc=size=48x32:rate=25 -frames:v 3 -an -movflags +faststart "$@" "$seeds/$name.mp4"
}
make_seed h264 -c:v libx264 -pix_fmt yuv420p
make_seed h264_444 -c:v libx264 -pix_fmt yuv444p
make_seed mpeg4 -c:v mpeg4
make_seed h264_turned -c:v libx264 -pix_fmt yuv420p -metadata:s:v:0 rotate=90

cd build-fuzz
mkdir -p corpus/request
# A libFuzzer process uses one core: the targets run side by side, one per core, each into its own
# log, shown whole when the target failed and by its final statistics when it did not.
fuzz_target() {
  local target=$1 status=0
  "bench/${target}_fuzz" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 "corpus/$target" \
    > "$target.log" 2>&1 || status=$?
  echo "$status" > "$target.status"
}
export -f fuzz_target
export seconds
targets=(metagraph request mp4_layout decoder)
rm -f ./*.status
printf '%s\n' "${targets[@]}" | xargs -P "$(nproc)" -I{} bash -c 'fuzz_target {}'
failed=0
for target in "${targets[@]}"; do
  if [[ "$(cat "$target.status" 2>/dev/null)" == 0 ]]; then
    echo "== ${target}_fuzz, ${seconds} s: no finding"
    grep '^stat::' "$target.log"
  else
    echo "== ${target}_fuzz, ${seconds} s: FAILED (build-fuzz/$target.log)"
    cat "$target.log"
    failed=1
  fi
done
exit "$failed"

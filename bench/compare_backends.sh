#!/usr/bin/env bash
# The ONNX backend against the TorchScript one on the same networks: `sn44-miner process` on one
# clip with the TorchScript models and with their ONNX exports (the same weights), alternating,
# RUNS times each. Prints the forward-pass and end-to-end seconds of every run (--stats-json).
#   bench/compare_backends.sh CLIP MODELS_DIR [RUNS] [MINER]
# MODELS_DIR holds player.torchscript, pitch.torchscript, player.onnx and pitch.onnx, e.g. from
#   tools/generate_models.py --task detect --size n --nc 4 --imgsz 736,1280 --output DIR/player.torchscript --onnx DIR/player.onnx
#   tools/generate_models.py --task pose --size n --kpts 32 --imgsz 384,640 --output DIR/pitch.torchscript --onnx DIR/pitch.onnx
set -euo pipefail
clip=$1
models=$2
runs=${3:-2}
miner=${4:-build/bin/sn44-miner}
stats=$(mktemp)
result=$(mktemp)
log=$(mktemp)
trap 'rm -f "$stats" "$result" "$log"' EXIT
printf '%-12s %4s %10s %10s\n' backend run forward_s total_s
for ((run = 1; run <= runs; ++run)); do
  for format in torchscript onnx; do
    "$miner" process "$clip" --player-model "$models/player.$format" --pitch-model "$models/pitch.$format" \
      --no-progress --log-level warn --output "$result" --stats-json "$stats" 2>"$log" || { cat "$log" >&2; exit 1; }
    /usr/bin/python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print("%-12s %4s %10.2f %10.2f" % (sys.argv[2], sys.argv[3], s["forward_seconds"], s["total_seconds"]))' "$stats" "$format" "$run"
  done
done

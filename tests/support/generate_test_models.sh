#!/usr/bin/env bash
# Generates the models the tests run: YOLOv8n player detector (4 classes) and pitch pose model
# (32 keypoints), small so that whole clips run in seconds, and rectangular (320 wide, 192 high: the shape the
# reference runs a 16:9 clip at, scaled down), each also as ONNX files, plus a square 80-class
# detector whose output layout the player model must refuse. A model is kept while it was generated with the same arguments and
# no Python file under tools/ is newer than it.
#   generate_test_models.sh PYTHON OUT_DIR
set -euo pipefail
python=$1
out=$2
root="$(cd "$(dirname "$0")/../.." && pwd)"
generator="$root/tools/generate_models.py"
mkdir -p "$out"

generate() {
  local output=$1; shift
  local arguments="$* --seed 0"
  if [[ -f "$out/$output" && "$(cat "$out/$output.arguments" 2>/dev/null)" == "$arguments" &&
        -z "$(find "$root/tools" -name '*.py' -newer "$out/$output")" ]]; then return; fi
  "$python" "$generator" "$@" --seed 0 --output "$out/$output.partial"
  mv "$out/$output.partial" "$out/$output"
  echo "$arguments" > "$out/$output.arguments"
}

# The same networks exported to ONNX as ultralytics writes them, in an old and a recent opset, and
# with batch and image size left open (dynamic=True); the player network also traced at 320x160,
# the input a dynamic export takes for a 1280x574 clip.
generate player.torchscript --task detect --size n --nc 4 --imgsz 192,320 --onnx "$out/player.onnx" \
  --onnx-dynamic "$out/player_dynamic.onnx" --opset 12 --trace-also 160,320 "$out/player_160x320.torchscript"
generate pitch.torchscript --task pose --size n --kpts 32 --imgsz 192,320 --onnx "$out/pitch.onnx" --opset 17
generate detector_80_classes.torchscript --task detect --size n --nc 80 --imgsz 320
ls -l "$out"

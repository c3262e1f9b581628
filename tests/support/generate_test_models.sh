#!/usr/bin/env bash
# Generates the models the tests run: YOLOv8n player detector (4 classes) and pitch pose model
# (32 keypoints) at 320x320 so that whole clips run in seconds, plus an 80-class detector whose
# output layout the player model must refuse. A model is kept while
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
  if [[ -f "$out/$output" && -z "$(find "$root/tools" -name '*.py' -newer "$out/$output")" ]]; then return; fi
  "$python" "$generator" "$@" --seed 0 --output "$out/$output.partial"
  mv "$out/$output.partial" "$out/$output"
}

generate player.torchscript --task detect --size n --nc 4 --imgsz 320
generate pitch.torchscript --task pose --size n --kpts 32 --imgsz 320
generate detector_80_classes.torchscript --task detect --size n --nc 80 --imgsz 320
ls -l "$out"

#!/usr/bin/env python3
"""A reference-style pipeline for side-by-side benchmarks: what the reference miner does per
challenge, without its tracker (which only adds time). Frames are read one by one with
cv2.VideoCapture; for each frame the player model and then the pitch model are called on a batch
of one, each preceded by Python letterboxing and followed by the reference post-processing
(tools/reference); nothing overlaps. FP32, on the CPU or a CUDA device.

  reference_pipeline.py --player-model P --pitch-model Q --video V [--max-frames N] [--threads T]
                        [--device cpu|cuda] --output timings.json"""

import argparse
import json
import os
import pathlib
import sys
import time

import cv2
import torch

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from reference.postprocess import decode  # noqa: E402
from yolov8.preprocess import letterbox_tensor  # noqa: E402


class TimedModel:
    def __init__(self, path, device):
        extra = {"config.txt": ""}
        self.model = torch.jit.load(path, map_location=device, _extra_files=extra).eval()
        metadata = json.loads(extra["config.txt"])
        self.imgsz = metadata["imgsz"] if isinstance(metadata["imgsz"], list) else [metadata["imgsz"]] * 2
        self.nc = len(metadata["names"])
        self.device = device
        self.seconds = {"preprocess": 0.0, "forward": 0.0, "postprocess": 0.0}

    def __call__(self, frame):
        started = time.perf_counter()
        image = letterbox_tensor(frame, self.imgsz).to(self.device)
        forward_started = time.perf_counter()
        output = self.model(image)
        if self.device.startswith("cuda"):
            torch.cuda.synchronize()
        post_started = time.perf_counter()
        detections = decode(output[0].cpu().numpy(), self.nc, frame.shape, self.imgsz)
        ended = time.perf_counter()
        self.seconds["preprocess"] += forward_started - started
        self.seconds["forward"] += post_started - forward_started
        self.seconds["postprocess"] += ended - post_started
        return detections


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--player-model", required=True)
    parser.add_argument("--pitch-model", required=True)
    parser.add_argument("--video", required=True)
    parser.add_argument("--max-frames", type=int)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: one per core)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--warmup-runs", type=int, default=1)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    torch.set_num_threads(args.threads or os.cpu_count())  # Debian's torch starts with one thread

    with torch.no_grad():
        player, pitch = TimedModel(args.player_model, args.device), TimedModel(args.pitch_model, args.device)
        blank = torch.full((720, 1280, 3), 114, dtype=torch.uint8).numpy()
        for _ in range(args.warmup_runs):
            player(blank)
            pitch(blank)
        for model in (player, pitch):
            model.seconds = dict.fromkeys(model.seconds, 0.0)

        started = time.perf_counter()
        capture = cv2.VideoCapture(args.video)
        decode_seconds, frames, first_frame = 0.0, 0, None
        while args.max_frames is None or frames < args.max_frames:
            read_started = time.perf_counter()
            ok, frame = capture.read()
            decode_seconds += time.perf_counter() - read_started
            if not ok:
                break
            if first_frame is None:
                first_frame = time.perf_counter() - started
            player(frame)
            pitch(frame)
            frames += 1
        total = time.perf_counter() - started

    stage = {key: player.seconds[key] + pitch.seconds[key] for key in player.seconds}
    result = {"frames": frames, "first_frame_seconds": first_frame, "decode_seconds": decode_seconds,
              "preprocess_seconds": stage["preprocess"], "forward_seconds": stage["forward"],
              "postprocess_seconds": stage["postprocess"], "total_seconds": total}
    pathlib.Path(args.output).write_text(json.dumps(result, indent=2))
    print(json.dumps(result))


if __name__ == "__main__":
    main()

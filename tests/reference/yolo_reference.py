#!/usr/bin/env python3
"""Golden reference for the C++ detectors: runs a YOLOv8 TorchScript model on frames with the
independent Python pre- and post-processing (tools/yolov8/preprocess.py, tools/reference) and
writes every detection with full precision.

  yolo_reference.py --model M.torchscript (--video V [--max-frames N] | --frames-raw F --width W --height H)
                    [--conf 0.25] [--iou 0.7] [--agnostic] --output OUT.json

--frames-raw reads raw BGR24 frames back to back, so that both sides see identical pixels."""

import argparse
import json
import os
import pathlib
import sys

import cv2
import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from reference.postprocess import decode  # noqa: E402
from yolov8.preprocess import letterbox_tensor  # noqa: E402


def load_model(path):
    extra = {"config.txt": ""}
    model = torch.jit.load(str(path), map_location="cpu", _extra_files=extra)
    model.eval()
    return model, json.loads(extra["config.txt"])


def raw_frames(path, width, height):
    data = np.fromfile(path, dtype=np.uint8)
    frame_bytes = width * height * 3
    if data.size % frame_bytes:
        raise SystemExit(f"{path}: {data.size} bytes is not a whole number of {width}x{height} frames")
    return list(data.reshape(-1, height, width, 3))


def video_frames(path, max_frames):
    capture = cv2.VideoCapture(str(path))
    frames = []
    while max_frames is None or len(frames) < max_frames:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    return frames


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--video")
    parser.add_argument("--max-frames", type=int)
    parser.add_argument("--frames-raw")
    parser.add_argument("--width", type=int)
    parser.add_argument("--height", type=int)
    parser.add_argument("--conf", type=float, default=0.25)
    parser.add_argument("--iou", type=float, default=0.7)
    parser.add_argument("--agnostic", action="store_true")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()

    torch.set_num_threads(os.cpu_count())  # Debian's torch starts with one thread
    model, metadata = load_model(args.model)
    imgsz = metadata["imgsz"] if isinstance(metadata["imgsz"], list) else [metadata["imgsz"]] * 2
    nc = len(metadata["names"])
    if args.frames_raw:
        frames = raw_frames(args.frames_raw, args.width, args.height)
    else:
        frames = video_frames(args.video, args.max_frames)

    results = []
    with torch.no_grad():
        for index, frame in enumerate(frames):
            output = model(letterbox_tensor(frame, imgsz))[0].numpy()
            results.append({"index": index,
                            "detections": decode(output, nc, frame.shape, imgsz, args.conf, args.iou, args.agnostic)})
    pathlib.Path(args.output).write_text(json.dumps({"input_size": imgsz, "task": metadata["task"], "frames": results}))


if __name__ == "__main__":
    main()

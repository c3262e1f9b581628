#!/usr/bin/env python3
"""Writes the demo clip: a synthetic broadcast-like scene (tools/yolov8/synthetic_frames.py) with a
panning camera, moving players, referee and ball, encoded as H.264 yuv420p MP4 by the ffmpeg
program. Deterministic.

  make_demo_clip.py --output demo/demo.mp4 [--seconds 3] [--width 1280] [--height 720] [--fps 25]"""

import argparse
import pathlib
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from yolov8.synthetic_frames import render_frame  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=pathlib.Path, required=True)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--fps", type=int, default=25)
    args = parser.parse_args()
    if shutil.which("ffmpeg") is None:
        raise SystemExit("the ffmpeg program is needed (Debian package ffmpeg)")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    encoder = subprocess.Popen(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24",
         "-s", f"{args.width}x{args.height}", "-r", str(args.fps), "-i", "-",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
         "-movflags", "+faststart", str(args.output)],
        stdin=subprocess.PIPE)
    frames = int(round(args.seconds * args.fps))
    for index in range(frames):
        encoder.stdin.write(render_frame(args.width, args.height, index / args.fps).tobytes())
    encoder.stdin.close()
    if encoder.wait() != 0:
        raise SystemExit(f"ffmpeg failed to write {args.output}")
    print(f"{args.output}: {frames} frames, {args.width}x{args.height} at {args.fps} fps")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""End-to-end benchmark, side by side in one run: `sn44-miner process` and the reference-style
Python pipeline (bench/reference_pipeline.py) on the same models, clip and thread count. Prints
both breakdowns and the speed-up; --output writes them as JSON for docs/benchmarks.md.

  compare_pipelines.py --miner build/bin/sn44-miner --player-model P --pitch-model Q --video V
                       [--frames N] [--threads T] [--batch-size B] [--output results.json]

--frames N benchmarks the first N frames (cut into a temporary H.264 clip), for models too slow
to run a whole clip on a CPU."""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

BENCH = pathlib.Path(__file__).resolve().parent
PYTHON = "/usr/bin/python3"


def cut_clip(video, frames, directory):
    excerpt = pathlib.Path(directory) / "excerpt.mp4"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(video), "-frames:v", str(frames), "-an",
                    "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", str(excerpt)], check=True)
    return excerpt


def run_ours(args, video, directory):
    stats = pathlib.Path(directory) / "ours.json"
    subprocess.run([args.miner, "process", str(video), "--player-model", args.player_model,
                    "--pitch-model", args.pitch_model, "--threads", str(args.threads),
                    "--batch-size", str(args.batch_size), "--no-progress", "--log-level", "warn",
                    "--output", str(pathlib.Path(directory) / "result.json"), "--stats-json", str(stats)],
                   check=True)
    return json.loads(stats.read_text())


def run_reference(args, video, directory):
    timings = pathlib.Path(directory) / "reference.json"
    subprocess.run([PYTHON, str(BENCH / "reference_pipeline.py"), "--player-model", args.player_model,
                    "--pitch-model", args.pitch_model, "--video", str(video), "--threads", str(args.threads),
                    "--output", str(timings)], check=True, stdout=subprocess.DEVNULL)
    return json.loads(timings.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--miner", default="build/bin/sn44-miner")
    parser.add_argument("--player-model", required=True)
    parser.add_argument("--pitch-model", required=True)
    parser.add_argument("--video", required=True)
    parser.add_argument("--frames", type=int)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--output")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        video = cut_clip(args.video, args.frames, directory) if args.frames else pathlib.Path(args.video)
        ours = run_ours(args, video, directory)
        reference = run_reference(args, video, directory)

    rows = ("frames", "first_frame_seconds", "decode_seconds", "preprocess_seconds", "forward_seconds",
            "postprocess_seconds", "total_seconds")
    print(f"{'':22}{'sn44-miner':>12}{'reference':>12}")
    for row in rows:
        print(f"{row:22}{ours[row]:>12.3f}{reference[row]:>12.3f}")
    speedup = reference["total_seconds"] / ours["total_seconds"]
    beyond_forward = ours["total_seconds"] / ours["forward_seconds"] - 1
    print(f"speed-up (reference total / ours): {speedup:.2f}x; "
          f"our time beyond the forward passes: {100 * beyond_forward:.1f}%")
    if args.output:
        pathlib.Path(args.output).write_text(json.dumps(
            {"settings": vars(args), "ours": ours, "reference": reference, "speedup": speedup}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

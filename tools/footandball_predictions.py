#!/usr/bin/env python3
"""Runs the FootAndBall detector (published weights, a PyTorch state dict) on the images of a
labelled detection set and writes a prediction file for `sn44-miner eval --predictions`.

Players become class 2 (player) and balls class 0: the model does not tell goalkeepers and
referees from players. The ball branch has no box size; --ball-size sets it in pixels. The model
learnt the ISSIA-CNR boxes, which are looser than tight boxes around the player; --box-scale
shrinks each player box about its centre to compare with tight labels.

Example:
  footandball_predictions.py --weights footandball_model_20201019_1416_final.pth \
      --labels data/labeled/football-players-detection-v1 --output footandball.json
"""

import argparse
import json
import pathlib
import sys

import cv2
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from footandball import decode, load, to_input  # noqa: E402

PLAYER_CLASS = 2
BALL_CLASS = 0
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"}


def images_folder(dataset):
    """The images/ folder of a split, or of the dataset's valid/ split (as `eval` reads it)."""
    for candidate in (dataset / "images", dataset / "valid" / "images"):
        if candidate.is_dir():
            return candidate
    raise SystemExit(f"error: no images/ or valid/images/ folder in {dataset}")


def scale_box(box, scale_x, scale_y):
    """The box (x1, y1, x2, y2) with its width and height multiplied about its centre."""
    x1, y1, x2, y2 = box
    cx, cy, half_w, half_h = (x1 + x2) / 2, (y1 + y2) / 2, (x2 - x1) * scale_x / 2, (y2 - y1) * scale_y / 2
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def predict(model, image, arguments):
    with torch.no_grad():
        ball, player, boxes = model(to_input(image))
    height, width = image.shape[:2]
    detections = []
    for x1, y1, x2, y2, score, is_ball in decode(ball[0], player[0], boxes[0], arguments.player_threshold,
                                                  arguments.ball_threshold, arguments.ball_size):
        if not is_ball:
            x1, y1, x2, y2 = scale_box((x1, y1, x2, y2), *arguments.box_scale)
        box = [min(max(x1, 0.0), width), min(max(y1, 0.0), height), min(max(x2, 0.0), width), min(max(y2, 0.0), height)]
        if box[2] > box[0] and box[3] > box[1]:
            detections.append({"bbox": box, "class_id": BALL_CLASS if is_ball else PLAYER_CLASS, "score": score})
    return detections


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", type=pathlib.Path, required=True, help="FootAndBall state dict (.pth)")
    parser.add_argument("--labels", type=pathlib.Path, required=True, help="YOLO detection set (split or dataset folder)")
    parser.add_argument("--output", type=pathlib.Path, required=True, help="prediction file to write")
    parser.add_argument("--player-threshold", type=float, default=0.7, help="player confidence (default 0.7)")
    parser.add_argument("--ball-threshold", type=float, default=0.7, help="ball confidence (default 0.7)")
    parser.add_argument("--ball-size", type=float, default=40.0, help="ball box side in pixels (default 40)")
    parser.add_argument("--box-scale", type=float, nargs=2, default=[1.0, 1.0], metavar=("WIDTH", "HEIGHT"),
                        help="factors applied to each player box's width and height (default 1 1)")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: PyTorch's choice)")
    arguments = parser.parse_args()
    if not arguments.weights.is_file():
        raise SystemExit(f"error: no weights file {arguments.weights}")
    if arguments.threads > 0:
        torch.set_num_threads(arguments.threads)

    try:
        model = load(arguments.weights)
    except Exception as error:  # noqa: BLE001 - the unpickler raises any type on a damaged file
        raise SystemExit(f"error: cannot load FootAndBall weights from {arguments.weights}: {type(error).__name__}: {error}") from None
    predictions = {}
    for path in sorted(images_folder(arguments.labels).iterdir()):
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            raise SystemExit(f"error: cannot read image {path}")
        predictions[path.name] = {"detections": predict(model, image, arguments)}
    arguments.output.write_text(json.dumps({"images": predictions}))
    print(f"{len(predictions)} images, {sum(len(p['detections']) for p in predictions.values())} detections "
          f"written to {arguments.output}")


if __name__ == "__main__":
    main()

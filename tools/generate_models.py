#!/usr/bin/env python3
"""Generates YOLOv8 models of the real architectures as TorchScript files, the way
`yolo export format=torchscript` writes them (fused convolutions, one output tensor, ultralytics'
config.txt metadata), with fixed-seed weights made to behave like trained ones on pitch images:

1. build the network (tools/yolov8) from the seed;
2. recalibrate the batch-norm statistics on synthetic broadcast frames, so activations have
   realistic ranges at every layer;
3. set the box-regression biases so boxes are player-sized, and the class-score biases so that a
   realistic number of anchors passes confidence 0.25 (tens of boxes per frame for detection, a
   handful for the pitch pose model, with about half of the keypoints over 0.5 and spread around
   the detection);
4. fuse batch norms into the convolutions, trace at the input size, save with the metadata.

With --onnx, the same network is also exported to ONNX the way `yolo export format=onnx` writes
it (batch 1, the metadata as string properties), for the miner's ONNX backend and its tests;
with --onnx-dynamic, as `yolo export format=onnx dynamic=True` writes it.

Examples:
  generate_models.py --task detect --size n --nc 4 --imgsz 1280 --output models/player.torchscript
  generate_models.py --task pose --size x --kpts 32 --imgsz 384,640 --output pitch-x.torchscript
"""

import argparse
import json
import os
import pathlib
import sys
import time

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from yolov8 import SCALES, build_model  # noqa: E402
from yolov8.model import REG_MAX  # noqa: E402
from yolov8.preprocess import letterbox_tensor  # noqa: E402
from yolov8.synthetic_frames import render_frame  # noqa: E402

PLAYER_NAMES = ["ball", "goalkeeper", "player", "referee"]
CONFIDENCE = 0.25
TARGET_CANDIDATES = {"detect": 12, "pose": 2}  # anchors over CONFIDENCE per calibration frame


def parse_imgsz(text):
    sizes = [int(v) for v in text.split(",")]
    if len(sizes) == 1:
        sizes *= 2
    if len(sizes) != 2 or any(s <= 0 or s % 32 for s in sizes):
        raise argparse.ArgumentTypeError("imgsz must be N or H,W with multiples of 32")
    return sizes


def calibration_batch(imgsz, count=4):
    frames = [render_frame(1280, 720, t=1.7 * i, rng_seed=i) for i in range(count)]
    return torch.cat([letterbox_tensor(frame, imgsz) for frame in frames])


@torch.no_grad()
def recalibrate_batch_norm(model, batch):
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.reset_running_stats()
            module.momentum = None  # cumulative average over the calibration batch
    model.train()
    model(batch)
    model.eval()


@torch.no_grad()
def shape_boxes(head):
    """Expected DFL distances of about 1.5 strides sideways and 2.4 up and down: player-sized boxes."""
    bins = torch.arange(REG_MAX, dtype=torch.float)
    for branch in head.cv2:
        final = branch[-1]
        final.weight.mul_(0.1)
        decay = torch.tensor([0.5, 0.35, 0.5, 0.35])  # left, top, right, bottom
        final.bias.copy_((-decay.view(4, 1) * bins.view(1, REG_MAX)).reshape(-1))


@torch.no_grad()
def level_logits(branches, features, channels):
    """The raw outputs of one head branch over all anchors: [B, channels, N]."""
    batch = features[0].shape[0]
    return torch.cat([branch(x).view(batch, channels, -1) for branch, x in zip(branches, features)], 2)


@torch.no_grad()
def calibrate_scores(model, batch, task, rng):
    head = model.model[22]
    features = model.features(batch)
    best = level_logits(head.cv3, features, head.nc).max(1).values  # [B, N]
    k = TARGET_CANDIDATES[task]
    kth_best = best.topk(k, dim=1).values[:, -1].mean()
    threshold_logit = float(np.log(CONFIDENCE / (1 - CONFIDENCE)))
    shift = threshold_logit - float(kth_best) + 1e-3
    for branch in head.cv3:
        branch[-1].bias.add_(shift)
    if task == "pose":
        raw = level_logits(head.cv4, features, head.keypoints * 3)  # [B, 3K, N]
        top = best.topk(k, dim=1).indices  # the anchors that will be detections
        visibility = raw[:, 2::3, :]
        chosen = torch.gather(visibility, 2, top.unsqueeze(1).expand(-1, head.keypoints, -1))
        median = chosen.permute(1, 0, 2).reshape(head.keypoints, -1).median(1).values
        # Per keypoint, centre its visibility at 0 (conf 0.5) and spread the keypoints so that some
        # are usually visible and others usually not.
        offsets = torch.tensor(rng.normal(0.0, 1.5, head.keypoints), dtype=torch.float)
        # Positions: mostly a fixed spread of up to 6 cells around the anchor per keypoint (a
        # pitch-like constellation), a little of the image content.
        spread = torch.tensor(rng.uniform(-1.5, 1.5, (head.keypoints, 2)), dtype=torch.float)
        for branch in head.cv4:
            final = branch[-1]
            final.bias[2::3].add_(offsets - median)
            for axis in range(2):
                final.weight[axis::3].mul_(0.05)
                final.bias[axis::3].copy_(spread[:, axis])


def metadata(task, imgsz, nc, keypoints, size):
    names = PLAYER_NAMES if task == "detect" and nc == len(PLAYER_NAMES) else \
        ["pitch"] if task == "pose" and nc == 1 else [f"class{i}" for i in range(nc)]
    data = {
        "description": f"Generated YOLOv8{size}{'-pose' if task == 'pose' else ''} (fixed-seed stand-in weights)",
        "author": "sn44-miner tools/generate_models.py",
        "date": "2024-01-01T00:00:00",  # fixed: generated files are reproducible
        "version": "8.0.0",
        "license": "AGPL-3.0 License (https://ultralytics.com/license)",
        "docs": "https://docs.ultralytics.com",
        "stride": 32,
        "task": task,
        "batch": 1,
        "imgsz": imgsz,
        "names": {str(i): name for i, name in enumerate(names)},
    }
    if task == "pose":
        data["kpt_shape"] = [keypoints, 3]
    return data


def trace(model, imgsz, device="cpu"):
    """The network traced at batch 1 and input imgsz ([h, w]) on `device`: its anchor grid becomes a
    constant there (as in ultralytics' exports, made on the device that runs them)."""
    with torch.no_grad():
        return torch.jit.trace(model.to(device), torch.zeros(1, 3, *imgsz, device=device), strict=False)


def save_traced(traced, path, data):
    """A TorchScript file with ultralytics' metadata (config.txt)."""
    traced.save(str(path), _extra_files={"config.txt": json.dumps(data)})


def generate(task, size, nc, keypoints, imgsz, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = build_model(size, nc, keypoints if task == "pose" else 0)
    batch = calibration_batch(imgsz)
    recalibrate_batch_norm(model, batch)
    shape_boxes(model.model[22])
    calibrate_scores(model, batch, task, rng)
    model.fuse().eval()
    return model, trace(model, imgsz), batch


def export_onnx(model, imgsz, data, path, opset, dynamic=False):
    """ultralytics' ONNX export: traced at batch 1, metadata values stored as str(value); with
    `dynamic` (`yolo export dynamic=True`) batch, height and width are left open, so the anchor grid
    is computed in the graph (Range, ConstantOfShape) instead of being a constant."""
    import onnx  # Debian's python3-onnx; only this export needs it

    axes = {"images": {0: "batch", 2: "height", 3: "width"}, "output0": {0: "batch", 2: "anchors"}} if dynamic else None
    with torch.no_grad():
        torch.onnx.export(model, torch.zeros(1, 3, *imgsz), str(path), opset_version=opset, do_constant_folding=True,
                          input_names=["images"], output_names=["output0"], dynamic_axes=axes)
    exported = onnx.load(str(path))
    for key, value in data.items():
        if key == "names":
            value = {int(index): name for index, name in value.items()}  # ultralytics' names are int-keyed
        entry = exported.metadata_props.add()
        entry.key, entry.value = key, str(value)
    onnx.save(exported, str(path))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", choices=("detect", "pose"), required=True)
    parser.add_argument("--size", choices=tuple(SCALES), required=True)
    parser.add_argument("--imgsz", type=parse_imgsz, default=None, help="N or H,W (default 1280 detect, 640 pose)")
    parser.add_argument("--nc", type=int, default=None, help="classes (default 4 detect, 1 pose)")
    parser.add_argument("--kpts", type=int, default=32, help="keypoints of a pose model")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: one per core)")
    parser.add_argument("--output", type=pathlib.Path, required=True)
    parser.add_argument("--onnx", type=pathlib.Path, default=None, help="also export the network to this ONNX file")
    parser.add_argument("--onnx-dynamic", type=pathlib.Path, default=None,
                        help="also export it to this ONNX file with batch, height and width left open")
    parser.add_argument("--opset", type=int, default=17, help="ONNX opset of --onnx and --onnx-dynamic")
    parser.add_argument("--device", default="cpu", help="trace on this device (cpu, cuda): the file is made for it")
    parser.add_argument("--trace-also", nargs=2, metavar=("H,W", "FILE"), default=None,
                        help="also trace the same network at another input size to this TorchScript file")
    args = parser.parse_args(argv)

    imgsz = args.imgsz or ([1280, 1280] if args.task == "detect" else [640, 640])
    nc = args.nc or (4 if args.task == "detect" else 1)
    # Debian's torch starts with one thread; big models take many times longer that way.
    torch.set_num_threads(args.threads or os.cpu_count())
    started = time.time()
    model, traced, batch = generate(args.task, args.size, nc, args.kpts, imgsz, args.seed)
    if args.device != "cpu":
        traced, batch = trace(model, imgsz, args.device), batch.to(args.device)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    data = metadata(args.task, imgsz, nc, args.kpts, args.size)
    save_traced(traced, args.output, data)
    with torch.no_grad():
        scores = traced(batch[:1])[0, 4:4 + nc].max(0).values
    model.to("cpu")  # the exports below trace on the CPU
    if args.onnx:
        export_onnx(model, imgsz, data, args.onnx, args.opset)
    if args.onnx_dynamic:
        export_onnx(model, imgsz, data, args.onnx_dynamic, args.opset, dynamic=True)
    if args.trace_also:
        other_imgsz = parse_imgsz(args.trace_also[0])
        save_traced(trace(model, other_imgsz), args.trace_also[1], metadata(args.task, other_imgsz, nc, args.kpts, args.size))
    print(f"{args.output}: YOLOv8{args.size} {args.task}, input {imgsz[1]}x{imgsz[0]} (width x height), "
          f"{sum(p.numel() for p in model.parameters()):,} parameters, "
          f"{int((scores > CONFIDENCE).sum())} anchors over {CONFIDENCE} on a calibration frame, "
          f"{time.time() - started:.1f} s")


if __name__ == "__main__":
    main()

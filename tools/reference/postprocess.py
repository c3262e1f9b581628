"""Decoding of one image's YOLOv8 output ([4 + nc (+ 3K), N]) into detections in frame pixels."""

import numpy as np

MAX_WH = 7680  # ultralytics offsets boxes by class * MAX_WH so one NMS keeps classes apart
MAX_NMS = 30000
MAX_DET = 300


def nms(boxes, scores, iou_threshold):
    """Greedy NMS, highest score first (torchvision semantics); returns kept indices in that order."""
    order = np.argsort(-scores, kind="stable")
    x1, y1, x2, y2 = boxes.T
    areas = (x2 - x1) * (y2 - y1)
    suppressed = np.zeros(len(boxes), bool)
    keep = []
    for i in order:
        if suppressed[i]:
            continue
        keep.append(i)
        w = np.clip(np.minimum(x2[i], x2) - np.maximum(x1[i], x1), 0, None)
        h = np.clip(np.minimum(y2[i], y2) - np.maximum(y1[i], y1), 0, None)
        inter = w * h
        suppressed |= inter / (areas[i] + areas - inter) > iou_threshold
    return np.array(keep, dtype=np.int64)


def letterbox_geometry(frame_shape, input_shape):
    """(gain, rounded pad used for boxes, exact pad used for keypoints) as ultralytics computes them."""
    gain = min(input_shape[0] / frame_shape[0], input_shape[1] / frame_shape[1])
    pad_w = (input_shape[1] - frame_shape[1] * gain) / 2
    pad_h = (input_shape[0] - frame_shape[0] * gain) / 2
    return gain, (round(pad_w - 0.1), round(pad_h - 0.1)), (pad_w, pad_h)


def decode(output, nc, frame_shape, input_shape, conf=0.25, iou=0.7, agnostic=False):
    """output: [4 + nc + extra, N] float32. Returns a list of dicts in descending score order."""
    predictions = output.T  # [N, C]
    scores_all = predictions[:, 4:4 + nc]
    best = scores_all.max(1)
    candidates = best > conf
    predictions, scores_all, best = predictions[candidates], scores_all[candidates], best[candidates]
    classes = scores_all.argmax(1)
    cx, cy, w, h = predictions[:, 0], predictions[:, 1], predictions[:, 2], predictions[:, 3]
    boxes = np.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), 1)
    if len(best) > MAX_NMS:
        top = np.argsort(-best, kind="stable")[:MAX_NMS]
        predictions, boxes, best, classes = predictions[top], boxes[top], best[top], classes[top]
    offsets = 0 if agnostic else (classes * MAX_WH).astype(np.float32)[:, None]
    keep = nms(boxes + offsets, best, iou)[:MAX_DET]

    gain, box_pad, point_pad = letterbox_geometry(frame_shape, input_shape)
    height, width = frame_shape[:2]
    detections = []
    for i in keep:
        x1, y1, x2, y2 = boxes[i]
        box = [(x1 - box_pad[0]) / gain, (y1 - box_pad[1]) / gain, (x2 - box_pad[0]) / gain, (y2 - box_pad[1]) / gain]
        box = [min(max(box[0], 0), width), min(max(box[1], 0), height), min(max(box[2], 0), width), min(max(box[3], 0), height)]
        detection = {"box": [float(v) for v in box], "score": float(best[i]), "class_id": int(classes[i])}
        extra = predictions[i, 4 + nc:]
        if len(extra):
            points = extra.reshape(-1, 3)
            detection["keypoints"] = [[float(min(max((x - point_pad[0]) / gain, 0), width)),
                                       float(min(max((y - point_pad[1]) / gain, 0), height)), float(c)]
                                      for x, y, c in points]
        detections.append(detection)
    return detections

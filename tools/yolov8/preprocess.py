"""Letterboxing as ultralytics does it: scale to fit, centre, pad with 114, BGR to RGB, /255."""

import cv2
import numpy as np
import torch


def letterbox(frame, imgsz):
    """BGR uint8 frame -> padded BGR uint8 image of size imgsz ([h, w]), plus (ratio, (pad_w, pad_h))."""
    height, width = frame.shape[:2]
    ratio = min(imgsz[0] / height, imgsz[1] / width)
    new_w, new_h = int(round(width * ratio)), int(round(height * ratio))
    pad_w, pad_h = (imgsz[1] - new_w) / 2, (imgsz[0] - new_h) / 2
    if (new_w, new_h) != (width, height):
        frame = cv2.resize(frame, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    top, bottom = int(round(pad_h - 0.1)), int(round(pad_h + 0.1))
    left, right = int(round(pad_w - 0.1)), int(round(pad_w + 0.1))
    padded = cv2.copyMakeBorder(frame, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(114, 114, 114))
    return padded, ratio, (pad_w, pad_h)


def letterbox_tensor(frame, imgsz):
    """A [1, 3, h, w] float tensor ready for the model."""
    padded = letterbox(frame, imgsz)[0]
    rgb = np.ascontiguousarray(padded[:, :, ::-1].transpose(2, 0, 1))
    return torch.from_numpy(rgb).float().unsqueeze(0) / 255.0

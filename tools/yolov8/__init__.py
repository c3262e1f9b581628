"""YOLOv8 detection and pose networks in plain PyTorch, built like ultralytics' yolov8.yaml and
yolov8-pose.yaml so that generated models have the real architectures, input/output layouts and
compute cost. Used to generate stand-in models: the subnet's trained weights are not public."""

from .model import SCALES, YoloV8, build_model

__all__ = ["SCALES", "YoloV8", "build_model"]

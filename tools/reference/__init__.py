"""An independent Python implementation of ultralytics' YOLOv8 post-processing (confidence
filter, class-aware NMS, scaling back to frame pixels, keypoints), written from the ultralytics
behaviour documented in the project specification. The C++ miner is tested against it."""

"""The Python reference post-processing on hand-computed cases."""

import pathlib
import sys
import unittest

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
from reference.postprocess import decode, letterbox_geometry, nms  # noqa: E402
from yolov8.preprocess import letterbox  # noqa: E402


class LetterboxTest(unittest.TestCase):
    def test_16_9_into_square(self):
        gain, box_pad, point_pad = letterbox_geometry((720, 1280), (1280, 1280))
        self.assertEqual(gain, 1.0)
        self.assertEqual(point_pad, (0.0, 280.0))
        self.assertEqual(box_pad, (0, 280))

    def test_16_9_into_rectangle(self):
        gain, box_pad, _ = letterbox_geometry((720, 1280), (736, 1280))
        self.assertEqual((gain, box_pad), (1.0, (0, 8)))

    def test_odd_height_pads_one_more_below(self):
        # 1280x574 into 640x640: scaled to 640x287, 353 rows of padding: 176 above, 177 below.
        padded, ratio, (pad_w, pad_h) = letterbox(np.zeros((574, 1280, 3), np.uint8), [640, 640])
        self.assertEqual(ratio, 0.5)
        self.assertEqual(pad_h, 176.5)
        self.assertEqual(padded.shape, (640, 640, 3))
        self.assertEqual(int(padded[175, 0, 0]), 114)
        self.assertEqual(int(padded[176, 0, 0]), 0)
        self.assertEqual(int(padded[462, 0, 0]), 0)
        self.assertEqual(int(padded[463, 0, 0]), 114)
        self.assertEqual(letterbox_geometry((574, 1280), (640, 640))[1], (0, 176))


class NmsTest(unittest.TestCase):
    def test_overlapping_box_of_lower_score_is_suppressed(self):
        boxes = np.float32([[0, 0, 10, 10], [1, 0, 11, 10], [20, 20, 30, 30]])
        # IoU of the first two: 90 / 110 = 0.818 > 0.7.
        self.assertEqual(nms(boxes, np.float32([0.8, 0.9, 0.5]), 0.7).tolist(), [1, 2])
        self.assertEqual(nms(boxes, np.float32([0.8, 0.9, 0.5]), 0.85).tolist(), [1, 0, 2])

    def test_classes_do_not_suppress_each_other_unless_agnostic(self):
        # Two anchors, same box, classes 0 and 1 (nc = 2), in a 64x64 input for a 64x64 frame.
        output = np.float32([[32, 32], [32, 32], [10, 10], [10, 10], [0.9, 0.1], [0.1, 0.8]])
        self.assertEqual(len(decode(output, 2, (64, 64), (64, 64))), 2)
        self.assertEqual(len(decode(output, 2, (64, 64), (64, 64), agnostic=True)), 1)

    def test_confidence_threshold_is_strict_and_boxes_are_scaled_back(self):
        output = np.float32([[40, 40], [300, 300], [20, 20], [40, 40], [0.25, 0.5]])
        detections = decode(output, 1, (720, 1280), (640, 640))
        self.assertEqual(len(detections), 1)
        # gain 0.5, pad (0, 140): x 30..50 -> 60..100, y 280..320 -> 280..360.
        self.assertEqual(detections[0]["box"], [60.0, 280.0, 100.0, 360.0])


if __name__ == "__main__":
    unittest.main()

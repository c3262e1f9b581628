"""The generated architectures are ultralytics' YOLOv8: parameter counts equal the published
summaries, exported outputs have the layouts the miner decodes, and traced files batch."""

import json
import pathlib
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import generate_models  # noqa: E402
from yolov8 import build_model  # noqa: E402


def parameters(model):
    return sum(p.numel() for p in model.parameters())


class ArchitectureTest(unittest.TestCase):
    def test_detection_parameter_counts_match_ultralytics_summaries(self):
        # yolov8.yaml comments (80 classes): n 3,157,200 ... x 68,229,648.
        published = {"n": 3157200, "s": 11166560, "m": 25902640, "l": 43691520, "x": 68229648}
        for size, count in published.items():
            with self.subTest(size=size):
                self.assertEqual(parameters(build_model(size, 80)), count)

    def test_pose_parameter_count_matches_ultralytics_summary(self):
        # yolov8n-pose (1 class, 17 keypoints): 3,295,470 parameters.
        self.assertEqual(parameters(build_model("n", 1, 17)), 3295470)

    def test_output_layouts(self):
        with torch.no_grad():
            detect = build_model("n", 4).eval()(torch.zeros(2, 3, 320, 192))
            pose = build_model("n", 1, 32).eval()(torch.zeros(1, 3, 320, 320))
        anchors_320x192 = (40 * 24) + (20 * 12) + (10 * 6)
        self.assertEqual(tuple(detect.shape), (2, 4 + 4, anchors_320x192))
        self.assertEqual(tuple(pose.shape), (1, 4 + 1 + 3 * 32, 2100))

    def test_fusing_batch_norm_keeps_the_output(self):
        torch.manual_seed(1)
        model = build_model("n", 4).eval()
        x = torch.rand(1, 3, 160, 160)
        with torch.no_grad():
            before = model(x)
            after = model.fuse()(x)
        self.assertTrue(torch.allclose(before, after, atol=1e-3, rtol=1e-3))


class GeneratedFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.path = pathlib.Path(cls.dir.name) / "pitch.torchscript"
        generate_models.main(["--task", "pose", "--size", "n", "--imgsz", "192,320", "--output", str(cls.path)])

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_metadata_is_what_ultralytics_writes(self):
        extra = {"config.txt": ""}
        torch.jit.load(str(self.path), _extra_files=extra)
        metadata = json.loads(extra["config.txt"])
        self.assertEqual(metadata["task"], "pose")
        self.assertEqual(metadata["imgsz"], [192, 320])
        self.assertEqual(metadata["kpt_shape"], [32, 3])
        self.assertEqual(metadata["names"], {"0": "pitch"})
        self.assertEqual(metadata["stride"], 32)

    def test_a_larger_batch_gives_the_same_per_image_outputs(self):
        model = torch.jit.load(str(self.path))
        images = torch.rand(3, 3, 192, 320)
        with torch.no_grad():
            batched = model(images)
            single = torch.cat([model(images[i:i + 1]) for i in range(3)])
        self.assertEqual(tuple(batched.shape), (3, 101, 1260))
        # Convolution kernels differ per batch size: equal up to float rounding (1e-3 px).
        self.assertLess(float((batched - single).abs().max()), 5e-3)

    def test_generation_is_deterministic(self):
        again = pathlib.Path(self.dir.name) / "again.torchscript"
        generate_models.main(["--task", "pose", "--size", "n", "--imgsz", "192,320", "--output", str(again)])
        a, b = torch.jit.load(str(self.path)), torch.jit.load(str(again))
        x = torch.rand(1, 3, 192, 320)
        with torch.no_grad():
            self.assertTrue(torch.equal(a(x), b(x)))


if __name__ == "__main__":
    unittest.main()

"""The FootAndBall rebuild: the architecture matches the published weights, the maps decode to the
hand-computed boxes, and with those weights `sn44-miner eval` finds a working player detector."""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

import torch

TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))
from footandball import FootAndBall, decode, strict_peaks  # noqa: E402
from footandball_predictions import PLAYER_CLASS, scale_box  # noqa: E402

WEIGHTS = "models/footandball/footandball_model_20201019_1416_final.pth"
DETECTION_SET = "labeled/football-players-detection-v1"


def shared_data():
    folder = os.environ.get("SN44_TEST_DATA")
    return pathlib.Path(folder) if folder and pathlib.Path(folder, WEIGHTS).is_file() else None


class ArchitectureTest(unittest.TestCase):
    def test_state_dict_size_is_the_published_files(self):
        # The published file holds 199,649 numbers: 198,840 weights plus the batch-norm statistics.
        self.assertEqual(sum(p.numel() for p in FootAndBall().parameters()), 198840)
        self.assertEqual(sum(t.numel() for t in FootAndBall().state_dict().values()), 199649)

    def test_map_sizes_follow_the_strides(self):
        with torch.no_grad():
            ball, player, boxes = FootAndBall().eval()(torch.zeros(2, 3, 1080, 1920))
        self.assertEqual(tuple(ball.shape), (2, 270, 480))
        self.assertEqual(tuple(player.shape), (2, 67, 120))
        self.assertEqual(tuple(boxes.shape), (2, 4, 67, 120))

    def test_published_weights_load_with_matching_names_and_shapes(self):
        data = shared_data()
        if data is None:
            self.skipTest("SN44_TEST_DATA does not hold the FootAndBall weights")
        published = torch.load(data / WEIGHTS, map_location="cpu")
        ours = FootAndBall().state_dict()
        self.assertEqual({k: tuple(v.shape) for k, v in published.items()},
                         {k: tuple(v.shape) for k, v in ours.items()})


class DecodeTest(unittest.TestCase):
    def test_only_strict_interior_maxima_are_peaks(self):
        probability = torch.zeros(1, 5, 5)
        probability[0, 2, 2] = 0.9  # lone maximum: kept
        probability[0, 2, 3] = 0.5  # its neighbour: dropped
        probability[0, 0, 4] = 0.8  # on the border, where replicated edges equal it: dropped
        peaks = strict_peaks(probability)
        expected = torch.zeros(1, 5, 5)
        expected[0, 2, 2] = 0.9
        self.assertTrue(torch.equal(peaks, expected))

    def test_plateau_has_no_peak(self):
        probability = torch.zeros(1, 4, 6)
        probability[0, 1, 2] = probability[0, 1, 3] = 0.95
        self.assertEqual(strict_peaks(probability).count_nonzero().item(), 0)

    def test_boxes_are_decoded_around_cell_centres(self):
        # A 64 x 96 image: player maps 4 x 6 (stride 16), ball map 16 x 24 (stride 4).
        player = torch.zeros(4, 6)
        player[2, 3] = 0.9
        player[1, 1] = 0.65  # under the player threshold
        boxes = torch.zeros(4, 4, 6)
        boxes[:, 2, 3] = torch.tensor([0.01, -0.02, 0.25, 0.5])
        ball = torch.zeros(16, 24)
        ball[5, 7] = 0.75
        ball[10, 10] = 0.6  # under the ball threshold
        detections = decode(ball, player, boxes, threshold_player=0.7, threshold_ball=0.7, ball_size=12)
        self.assertEqual(len(detections), 2)
        # Cell (2, 3) centre (55.5, 39.5); offset (0.01 * 96, -0.02 * 64); size (0.25 * 96, 0.5 * 64).
        x1, y1, x2, y2, score, is_ball = detections[0]
        for got, want in zip((x1, y1, x2, y2), (44.46, 22.22, 68.46, 54.22)):
            self.assertAlmostEqual(got, want, places=5)
        self.assertAlmostEqual(score, 0.9, places=6)
        self.assertFalse(is_ball)
        # Ball cell (5, 7) centre (29.5, 21.5), a 12-pixel square.
        self.assertEqual(detections[1][:4], (23.5, 15.5, 35.5, 27.5))
        self.assertAlmostEqual(detections[1][4], 0.75, places=6)
        self.assertTrue(detections[1][5])

    def test_box_scale_keeps_the_centre(self):
        self.assertEqual(scale_box((10.0, 20.0, 30.0, 60.0), 0.5, 0.25), (15.0, 35.0, 25.0, 45.0))


class CommandLineTest(unittest.TestCase):
    def run_tool(self, *arguments):
        return subprocess.run([sys.executable, str(TOOLS / "footandball_predictions.py"), *arguments],
                              capture_output=True, text=True)

    def test_missing_weights_are_named(self):
        with tempfile.TemporaryDirectory() as folder:
            run = self.run_tool("--weights", f"{folder}/absent.pth", "--labels", folder, "--output", f"{folder}/out.json")
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("no weights file", run.stderr)
        self.assertIn("absent.pth", run.stderr)

    def test_weights_of_another_network_are_refused_with_the_cause(self):
        with tempfile.TemporaryDirectory() as folder:
            weights = pathlib.Path(folder, "other.pth")
            torch.save({"conv.weight": torch.zeros(1)}, weights)
            run = self.run_tool("--weights", str(weights), "--labels", folder, "--output", f"{folder}/out.json")
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("cannot load FootAndBall weights", run.stderr)
        self.assertIn("Missing key(s)", run.stderr)
        self.assertNotIn("Traceback", run.stderr)

    def test_a_file_that_is_not_weights_is_refused(self):
        with tempfile.TemporaryDirectory() as folder:
            weights = pathlib.Path(folder, "notes.pth")
            for content in ("not a state dict", "junk\n"):
                weights.write_text(content)
                run = self.run_tool("--weights", str(weights), "--labels", folder, "--output", f"{folder}/out.json")
                self.assertNotEqual(run.returncode, 0)
                self.assertIn("cannot load FootAndBall weights", run.stderr)
                self.assertNotIn("Traceback", run.stderr)

    def run_on_folder(self, prepare):
        """Runs the tool with fresh weights on a folder that `prepare` fills; the run and whether
        a prediction file was written."""
        with tempfile.TemporaryDirectory() as folder:
            weights = pathlib.Path(folder, "weights.pth")
            torch.save(FootAndBall().state_dict(), weights)
            prepare(pathlib.Path(folder))
            output = pathlib.Path(folder, "out.json")
            run = self.run_tool("--weights", str(weights), "--labels", folder, "--output", str(output))
            return run, output.exists()

    def test_a_folder_without_images_is_refused_and_nothing_is_written(self):
        run, written = self.run_on_folder(lambda folder: None)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("no images/ or valid/images/ folder", run.stderr)
        self.assertFalse(written)

    def test_a_corrupt_image_is_named_and_nothing_is_written(self):
        def corrupt_image(folder):
            (folder / "images").mkdir()
            (folder / "images" / "frame.jpg").write_bytes(b"not a jpeg")
        run, written = self.run_on_folder(corrupt_image)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("cannot read image", run.stderr)
        self.assertIn("frame.jpg", run.stderr)
        self.assertFalse(written)


def labelled_subset(split, folder, count):
    """A detection set in `folder` holding the first `count` images of `split` and their labels (links)."""
    for name in ("images", "labels"):
        pathlib.Path(folder, name).mkdir(parents=True)
    for image in sorted(pathlib.Path(split, "images").iterdir())[:count]:
        label = pathlib.Path(split, "labels", image.stem + ".txt")
        pathlib.Path(folder, "images", image.name).symlink_to(image)
        pathlib.Path(folder, "labels", label.name).symlink_to(label)
    return pathlib.Path(folder)


class PublishedWeightsTest(unittest.TestCase):
    # 12 of the set's 38 full-HD images (about 250 players): enough to tell the published network
    # from a broken one, at a third of the time the network takes on all of them.
    IMAGES = 12

    def test_eval_finds_most_players(self):
        data = shared_data()
        miner = os.environ.get("SN44_MINER_EXECUTABLE")
        if data is None or not miner:
            self.skipTest("SN44_TEST_DATA does not hold the FootAndBall weights, or no miner executable")
        with tempfile.TemporaryDirectory() as folder:
            labels = labelled_subset(data / DETECTION_SET / "valid", pathlib.Path(folder, "set"), self.IMAGES)
            predictions = pathlib.Path(folder, "predictions.json")
            subprocess.run([sys.executable, str(TOOLS / "footandball_predictions.py"), "--weights", str(data / WEIGHTS),
                            "--labels", str(labels), "--output", str(predictions),
                            "--player-threshold", "0.5", "--ball-size", "12", "--box-scale", "0.55", "0.6"],
                           check=True, capture_output=True)
            report = json.loads(subprocess.run([miner, "eval", "--json", "--labels", str(labels),
                                                "--predictions", str(predictions)],
                                               check=True, capture_output=True, text=True).stdout)
            labelled_players = sum(line.split()[0] == str(PLAYER_CLASS) for label in (labels / "labels").iterdir()
                                   for line in label.read_text().splitlines() if line.strip())
        player = report["detection"]["classes"]["player"]
        self.assertEqual(player["labelled"], labelled_players)
        # An untrained or wrongly decoded network scores near 0; this published one about 0.5.
        self.assertGreater(player["recall"], 0.4)
        self.assertGreater(player["precision"], 0.4)
        self.assertGreater(player["ap50"], 0.2)
        # It has no goalkeeper or referee class.
        self.assertEqual(report["detection"]["classes"]["goalkeeper"]["predicted"], 0)
        self.assertEqual(report["detection"]["classes"]["referee"]["predicted"], 0)


if __name__ == "__main__":
    unittest.main()

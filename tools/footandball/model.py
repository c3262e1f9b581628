"""The FootAndBall detector (Komorowski et al., 2020) in plain PyTorch: a small VGG-like backbone
with a feature pyramid, a ball confidence map at stride 4 and player confidence and box maps at
stride 16. Module names follow the published state dict, so its weights load unchanged."""

import torch
import torch.nn.functional as F
from torch import nn

# Backbone stages: convolution widths, each stage ending with a 2x2 max pool.
STAGE_WIDTHS = [[16], [32, 32], [32, 32], [64, 64], [64, 64]]
PYRAMID_CHANNELS = 32
HEAD_CHANNELS = 32
BALL_STAGE = 1  # stride 4
PLAYER_STAGE = 3  # stride 16
BALL_STRIDE = 4
PLAYER_STRIDE = 16

# The network's input normalisation: RGB in [0, 1] with ImageNet's mean and deviation.
INPUT_MEAN = (0.485, 0.456, 0.406)
INPUT_STD = (0.229, 0.224, 0.225)


def _stage(in_channels, widths):
    layers = []
    for width in widths:
        layers += [nn.Conv2d(in_channels, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
        in_channels = width
    layers.append(nn.MaxPool2d(2, 2))
    return nn.Sequential(*layers)


def _head(outputs):
    return nn.Sequential(nn.Conv2d(PYRAMID_CHANNELS, HEAD_CHANNELS, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(HEAD_CHANNELS, outputs, 3, padding=1))


class Pyramid(nn.Module):
    """Backbone plus top-down pathway: each level from BALL_STAGE up is reduced to
    PYRAMID_CHANNELS and added to the bilinearly upsampled level above it."""

    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList()
        in_channels = 3
        for widths in STAGE_WIDTHS:
            self.layers.append(_stage(in_channels, widths))
            in_channels = widths[-1]
        self.lateral_layers = nn.ModuleList(
            nn.Conv2d(widths[-1], PYRAMID_CHANNELS, 1) for widths in STAGE_WIDTHS[BALL_STAGE:])

    def forward(self, x):
        stages = []
        for layer in self.layers:
            x = layer(x)
            stages.append(x)
        levels = {}
        top = None
        for index in range(len(stages) - 1, BALL_STAGE - 1, -1):
            lateral = self.lateral_layers[index - BALL_STAGE](stages[index])
            if top is not None:
                lateral = lateral + F.interpolate(top, size=lateral.shape[-2:], mode="bilinear", align_corners=False)
            levels[index] = top = lateral
        return levels[BALL_STAGE], levels[PLAYER_STAGE]


class FootAndBall(nn.Module):
    """Returns, for a batch of normalised RGB images, the ball probability map (B, H/4, W/4), the
    player probability map (B, H/16, W/16) and the player box map (B, 4, H/16, W/16) whose channels
    are the box centre's offset from the cell centre and the box size, as fractions of the map's
    extent in pixels."""

    def __init__(self):
        super().__init__()
        self.base_network = Pyramid()
        self.ball_classifier = _head(2)
        self.player_classifier = _head(2)
        self.player_regressor = _head(4)

    def forward(self, images):
        ball_features, player_features = self.base_network(images)
        ball = torch.softmax(self.ball_classifier(ball_features), dim=1)[:, 1]
        player = torch.softmax(self.player_classifier(player_features), dim=1)[:, 1]
        return ball, player, self.player_regressor(player_features)


def strict_peaks(probability):
    """Zeroes every cell that is not strictly above its eight neighbours (edges replicated), as
    the model was trained to be decoded: a plateau yields no peak."""
    padded = F.pad(probability.unsqueeze(1), (1, 1, 1, 1), mode="replicate")
    neighbourhoods = F.unfold(padded, kernel_size=3)  # (B, 9, H*W), centre at index 4
    neighbourhoods[:, 4] = float("-inf")
    neighbour_max = neighbourhoods.max(dim=1).values.view_as(probability)
    return torch.where(probability > neighbour_max, probability, torch.zeros_like(probability))


def _top_cells(peaks, threshold, limit):
    """(scores, rows, columns) of the best `limit` peaks at or over `threshold`, best first."""
    flat = peaks.flatten()
    scores, indices = torch.sort(flat, descending=True)
    keep = scores[:limit] >= threshold
    scores, indices = scores[:limit][keep], indices[:limit][keep]
    width = peaks.shape[-1]
    return scores, torch.div(indices, width, rounding_mode="floor"), indices % width


def _cell_centre(cells, stride):
    return cells.double() * stride + (stride - 1) / 2.0


def decode(ball, player, player_boxes, threshold_player, threshold_ball, ball_size, limit=100):
    """Detections of one image from its maps (no batch dimension): a list of
    (x1, y1, x2, y2, score, is_ball). Players take the regressed box around their cell; the ball
    map has no box branch, so a ball is a `ball_size` square around its cell centre."""
    detections = []
    scores, rows, columns = _top_cells(strict_peaks(player.unsqueeze(0))[0], threshold_player, limit)
    map_height, map_width = player.shape
    extent_x, extent_y = map_width * PLAYER_STRIDE, map_height * PLAYER_STRIDE
    for score, row, column in zip(scores.tolist(), rows, columns):
        dx, dy, width, height = player_boxes[:, row, column].double().tolist()
        cx = _cell_centre(column, PLAYER_STRIDE).item() + dx * extent_x
        cy = _cell_centre(row, PLAYER_STRIDE).item() + dy * extent_y
        half_w, half_h = width * extent_x / 2.0, height * extent_y / 2.0
        detections.append((cx - half_w, cy - half_h, cx + half_w, cy + half_h, score, False))
    scores, rows, columns = _top_cells(strict_peaks(ball.unsqueeze(0))[0], threshold_ball, limit)
    for score, row, column in zip(scores.tolist(), rows, columns):
        cx, cy = _cell_centre(column, BALL_STRIDE).item(), _cell_centre(row, BALL_STRIDE).item()
        half = ball_size / 2.0
        detections.append((cx - half, cy - half, cx + half, cy + half, score, True))
    return detections


def to_input(bgr_image):
    """A uint8 BGR image (H, W, 3) as the network's normalised (1, 3, H, W) RGB input."""
    rgb = torch.from_numpy(bgr_image[:, :, ::-1].copy()).permute(2, 0, 1).float() / 255.0
    mean = torch.tensor(INPUT_MEAN).view(3, 1, 1)
    std = torch.tensor(INPUT_STD).view(3, 1, 1)
    return ((rgb - mean) / std).unsqueeze(0)


def load(weights_path):
    """The detector in inference mode with the weights of a published state dict file. Only
    tensors are unpickled: a weights file is user input."""
    model = FootAndBall()
    model.load_state_dict(torch.load(weights_path, map_location="cpu", weights_only=True))
    return model.eval()

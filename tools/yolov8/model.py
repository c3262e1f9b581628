"""The YOLOv8 architecture: backbone (Conv, C2f, SPPF), PAN neck and the Detect/Pose heads in the
form ultralytics exports them (one output tensor, boxes decoded to input pixels)."""

import math

import torch
from torch import nn

# depth multiple, width multiple, max channels (ultralytics' yolov8.yaml `scales`).
SCALES = {
    "n": (0.33, 0.25, 1024),
    "s": (0.33, 0.50, 1024),
    "m": (0.67, 0.75, 768),
    "l": (1.00, 1.00, 512),
    "x": (1.00, 1.25, 512),
}
STRIDES = (8, 16, 32)
REG_MAX = 16


class Conv(nn.Module):
    """Convolution, batch norm, SiLU; 'same' padding."""

    def __init__(self, c_in, c_out, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c_out, eps=0.001, momentum=0.03)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.conv(x) if self.bn is None else self.bn(self.conv(x)))

    def fuse(self):
        """Folds the batch norm into the convolution, as ultralytics does before exporting."""
        bn = self.bn
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        fused = nn.Conv2d(self.conv.in_channels, self.conv.out_channels, self.conv.kernel_size,
                          self.conv.stride, self.conv.padding, bias=True)
        fused.weight.data = self.conv.weight.data * scale.view(-1, 1, 1, 1)
        fused.bias.data = bn.bias.data - bn.running_mean * scale
        self.conv = fused
        self.bn = None


class Bottleneck(nn.Module):
    def __init__(self, c_in, c_out, shortcut):
        super().__init__()
        self.cv1 = Conv(c_in, c_out, 3)
        self.cv2 = Conv(c_out, c_out, 3)
        self.add = shortcut and c_in == c_out

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.add else y


class C2f(nn.Module):
    """CSP bottleneck with two convolutions: split, n bottlenecks on the second half, concat all."""

    def __init__(self, c_in, c_out, n, shortcut=False):
        super().__init__()
        self.c = int(c_out * 0.5)
        self.cv1 = Conv(c_in, 2 * self.c, 1)
        self.cv2 = Conv((2 + n) * self.c, c_out, 1)
        self.m = nn.ModuleList(Bottleneck(self.c, self.c, shortcut) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        for block in self.m:
            y.append(block(y[-1]))
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    def __init__(self, c_in, c_out, k=5):
        super().__init__()
        hidden = c_in // 2
        self.cv1 = Conv(c_in, hidden, 1)
        self.cv2 = Conv(hidden * 4, c_out, 1)
        self.m = nn.MaxPool2d(k, 1, k // 2)

    def forward(self, x):
        y = [self.cv1(x)]
        for _ in range(3):
            y.append(self.m(y[-1]))
        return self.cv2(torch.cat(y, 1))


class DFL(nn.Module):
    """Distribution focal loss integral: the expected bin of a softmax over REG_MAX bins."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(REG_MAX, 1, 1, bias=False).requires_grad_(False)
        self.conv.weight.data[:] = torch.arange(REG_MAX, dtype=torch.float).view(1, REG_MAX, 1, 1)

    def forward(self, x):
        b, _, a = x.shape
        return self.conv(x.view(b, 4, REG_MAX, a).transpose(2, 1).softmax(1)).view(b, 4, a)


def head_branch(c_in, hidden, c_out):
    return nn.Sequential(Conv(c_in, hidden, 3), Conv(hidden, hidden, 3), nn.Conv2d(hidden, c_out, 1))


def anchor_grid(features):
    """Anchor centres (in grid cells, +0.5) and their strides for the feature maps, [2, N] and [1, N]."""
    points, strides = [], []
    for feature, stride in zip(features, STRIDES):
        h, w = feature.shape[2:]
        device = feature.device  # a trace records it as a constant: an export runs where it was traced
        sy, sx = torch.meshgrid(torch.arange(h, dtype=torch.float, device=device) + 0.5,
                                torch.arange(w, dtype=torch.float, device=device) + 0.5, indexing="ij")
        points.append(torch.stack((sx, sy), -1).view(-1, 2))
        strides.append(torch.full((h * w, 1), float(stride), device=device))
    return torch.cat(points).transpose(0, 1), torch.cat(strides).transpose(0, 1)


class Detect(nn.Module):
    """Output [B, 4 + nc, N]: box centre x, y, width, height in input pixels, then class scores."""

    def __init__(self, nc, channels):
        super().__init__()
        self.nc = nc
        box_hidden = max(16, channels[0] // 4, REG_MAX * 4)
        cls_hidden = max(channels[0], min(nc, 100))
        self.cv2 = nn.ModuleList(head_branch(c, box_hidden, 4 * REG_MAX) for c in channels)
        self.cv3 = nn.ModuleList(head_branch(c, cls_hidden, nc) for c in channels)
        self.dfl = DFL()
        for box_conv, cls_conv, stride in zip(self.cv2, self.cv3, STRIDES):  # ultralytics' bias init
            box_conv[-1].bias.data[:] = 1.0
            cls_conv[-1].bias.data[:nc] = math.log(5 / nc / (640 / stride) ** 2)

    def decode(self, features):
        batch = features[0].shape[0]
        raw = torch.cat([torch.cat((box(x), cls(x)), 1).view(batch, 4 * REG_MAX + self.nc, -1)
                         for x, box, cls in zip(features, self.cv2, self.cv3)], 2)
        anchors, strides = anchor_grid(features)
        box, cls = raw.split((4 * REG_MAX, self.nc), 1)
        left_top, right_bottom = self.dfl(box).chunk(2, 1)
        x1y1 = anchors.unsqueeze(0) - left_top
        x2y2 = anchors.unsqueeze(0) + right_bottom
        xywh = torch.cat(((x1y1 + x2y2) / 2, x2y2 - x1y1), 1) * strides
        return torch.cat((xywh, cls.sigmoid()), 1), anchors, strides

    def forward(self, features):
        return self.decode(features)[0]


class Pose(Detect):
    """Output [B, 4 + nc + 3K, N]: Detect's, then K x (x, y in input pixels, visibility score)."""

    def __init__(self, nc, keypoints, channels):
        super().__init__(nc, channels)
        self.keypoints = keypoints
        kpt_hidden = max(channels[0] // 4, keypoints * 3)
        self.cv4 = nn.ModuleList(head_branch(c, kpt_hidden, keypoints * 3) for c in channels)

    def forward(self, features):
        batch = features[0].shape[0]
        raw_kpts = torch.cat([branch(x).view(batch, self.keypoints * 3, -1) for x, branch in zip(features, self.cv4)], -1)
        detections, anchors, strides = self.decode(features)
        kpts = raw_kpts.view(batch, self.keypoints, 3, -1)
        xy = (kpts[:, :, :2] * 2.0 + (anchors - 0.5)) * strides
        decoded = torch.cat((xy, kpts[:, :, 2:3].sigmoid()), 2).view(batch, self.keypoints * 3, -1)
        return torch.cat((detections, decoded), 1)


class YoloV8(nn.Module):
    """Layers numbered as in ultralytics' yaml (model.0 ... model.22) so parameter names match."""

    def __init__(self, size, nc, keypoints=0):
        super().__init__()
        depth, width, max_channels = SCALES[size]

        def ch(c):
            return int(math.ceil(min(c, max_channels) * width / 8) * 8)

        def n(repeats):
            return max(round(repeats * depth), 1)

        layers = [
            Conv(3, ch(64), 3, 2),                                    # 0  P1/2
            Conv(ch(64), ch(128), 3, 2),                              # 1  P2/4
            C2f(ch(128), ch(128), n(3), True),                        # 2
            Conv(ch(128), ch(256), 3, 2),                             # 3  P3/8
            C2f(ch(256), ch(256), n(6), True),                        # 4
            Conv(ch(256), ch(512), 3, 2),                             # 5  P4/16
            C2f(ch(512), ch(512), n(6), True),                        # 6
            Conv(ch(512), ch(1024), 3, 2),                            # 7  P5/32
            C2f(ch(1024), ch(1024), n(3), True),                      # 8
            SPPF(ch(1024), ch(1024)),                                 # 9
            nn.Upsample(scale_factor=2, mode="nearest"),              # 10
            nn.Identity(),                                            # 11 concat with 6
            C2f(ch(1024) + ch(512), ch(512), n(3)),                   # 12
            nn.Upsample(scale_factor=2, mode="nearest"),              # 13
            nn.Identity(),                                            # 14 concat with 4
            C2f(ch(512) + ch(256), ch(256), n(3)),                    # 15 P3 out
            Conv(ch(256), ch(256), 3, 2),                             # 16
            nn.Identity(),                                            # 17 concat with 12
            C2f(ch(256) + ch(512), ch(512), n(3)),                    # 18 P4 out
            Conv(ch(512), ch(512), 3, 2),                             # 19
            nn.Identity(),                                            # 20 concat with 9
            C2f(ch(512) + ch(1024), ch(1024), n(3)),                  # 21 P5 out
        ]
        head_channels = (ch(256), ch(512), ch(1024))
        layers.append(Pose(nc, keypoints, head_channels) if keypoints else Detect(nc, head_channels))
        self.model = nn.Sequential(*layers)
        self.task = "pose" if keypoints else "detect"

    def features(self, x):
        m = self.model
        p1 = m[1](m[0](x))
        p3 = m[4](m[3](m[2](p1)))
        p4 = m[6](m[5](p3))
        p5 = m[9](m[8](m[7](p4)))
        h12 = m[12](torch.cat((m[10](p5), p4), 1))
        out_p3 = m[15](torch.cat((m[13](h12), p3), 1))
        out_p4 = m[18](torch.cat((m[16](out_p3), h12), 1))
        out_p5 = m[21](torch.cat((m[19](out_p4), p5), 1))
        return [out_p3, out_p4, out_p5]

    def forward(self, x):
        return self.model[22](self.features(x))

    def fuse(self):
        for module in self.modules():
            if isinstance(module, Conv) and module.bn is not None:
                module.fuse()
        return self


def build_model(size, nc, keypoints=0):
    if size not in SCALES:
        raise ValueError(f"unknown size {size!r}; one of {', '.join(SCALES)}")
    return YoloV8(size, nc, keypoints)

"""Broadcast-like frames drawn by the project: a mown green pitch seen in perspective with white
lines, players in two kit colours, a referee, a ball and a scoreboard band. Used to give generated
models realistic activation statistics (no real footage is needed or used)."""

import numpy as np
import cv2

KIT_COLOURS = ((200, 40, 40), (40, 40, 200), (20, 200, 230), (30, 30, 30))  # BGR: two teams, keeper, referee


def pitch_to_image(width, height, pan):
    """Homography from pitch metres (105 x 68) to the image, for a camera panning by `pan` metres."""
    src = np.float32([[0, 0], [105, 0], [105, 68], [0, 68]])
    left = -0.9 * width + pan * width / 60
    dst = np.float32([[left + 0.35 * width, 0.22 * height], [left + 2.45 * width, 0.22 * height],
                      [left + 3.4 * width, 1.25 * height], [left - 0.6 * width, 1.25 * height]])
    return cv2.getPerspectiveTransform(src, dst)


def project(h, points):
    return cv2.perspectiveTransform(np.float32(points).reshape(-1, 1, 2), h).reshape(-1, 2)


def pitch_lines():
    """Polylines of the pitch markings, in metres."""
    lines = [[(0, 0), (105, 0), (105, 68), (0, 68), (0, 0)], [(52.5, 0), (52.5, 68)]]
    for x0, sign in ((0, 1), (105, -1)):
        lines.append([(x0, 13.85), (x0 + sign * 16.5, 13.85), (x0 + sign * 16.5, 54.15), (x0, 54.15)])
        lines.append([(x0, 24.85), (x0 + sign * 5.5, 24.85), (x0 + sign * 5.5, 43.15), (x0, 43.15)])
    angles = np.linspace(0, 2 * np.pi, 64)
    lines.append([(52.5 + 9.15 * np.cos(a), 34 + 9.15 * np.sin(a)) for a in angles])
    return lines


def render_frame(width, height, t, rng_seed=0):
    """Frame at time t (seconds) of a deterministic scene; returns BGR uint8."""
    rng = np.random.default_rng(rng_seed)
    frame = np.zeros((height, width, 3), np.uint8)
    frame[:] = (40, 120, 50)
    h = pitch_to_image(width, height, pan=10 * np.sin(t / 3))
    for stripe in range(0, 105, 10):  # mowing stripes
        quad = project(h, [(stripe, 0), (stripe + 5, 0), (stripe + 5, 68), (stripe, 68)])
        cv2.fillConvexPoly(frame, quad.astype(np.int32), (50, 140, 60), cv2.LINE_AA)
    for line in pitch_lines():
        cv2.polylines(frame, [project(h, line).astype(np.int32)], False, (235, 235, 235), 3, cv2.LINE_AA)
    # Stands: a crowd is dense, colourful texture.
    crowd = rng.integers(0, 256, (int(0.2 * height) // 4 + 1, width // 4 + 1, 3), dtype=np.uint8)
    frame[: int(0.2 * height)] = cv2.resize(crowd, (width, int(0.2 * height) // 4 * 4 + 4),
                                            interpolation=cv2.INTER_NEAREST)[: int(0.2 * height)]

    starts = rng.uniform((5, 5), (100, 63), size=(23, 2))
    velocities = rng.uniform(-3, 3, size=(23, 2))
    for i in range(23):
        x, y = np.clip(starts[i] + velocities[i] * t, (1, 1), (104, 67))
        foot = project(h, [(x, y)])[0]
        scale = foot[1] / height
        w, ht = 10 + 30 * scale, 25 + 80 * scale
        colour = KIT_COLOURS[0 if i < 10 else 1 if i < 20 else 2 if i == 20 else 3]
        x1, y1 = int(foot[0] - w / 2), int(foot[1] - ht)
        cv2.rectangle(frame, (x1, y1 + int(ht * 0.25)), (x1 + int(w), int(foot[1] - ht * 0.45)), colour, -1)
        cv2.rectangle(frame, (x1 + 2, int(foot[1] - ht * 0.45)), (x1 + int(w) - 2, int(foot[1])), (20, 20, 20), -1)
        cv2.circle(frame, (int(foot[0]), y1 + int(ht * 0.12)), max(2, int(w * 0.3)), (120, 160, 200), -1)
    ball = project(h, [(52.5 + 20 * np.sin(t), 34 + 10 * np.cos(t))])[0]
    cv2.circle(frame, (int(ball[0]), int(ball[1])), 5, (250, 250, 250), -1, cv2.LINE_AA)

    cv2.rectangle(frame, (30, 20), (330, 60), (30, 30, 30), -1)  # scoreboard
    cv2.putText(frame, "HOME 1 - 0 AWAY  %02d:%02d" % (12 + int(t) // 60, int(t) % 60), (40, 48),
                cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 1, cv2.LINE_AA)
    # Sensor noise and compression grain.
    grain = rng.normal(0, 6, frame.shape)
    return np.clip(frame.astype(np.float32) + grain, 0, 255).astype(np.uint8)

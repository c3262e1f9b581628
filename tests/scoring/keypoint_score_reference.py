#!/usr/bin/python3
"""Independent reference for the keypoint score, written from the validator's Python
(score-vision validator/evaluation/keypoint_scoring.py, commit 1791fe19) with numpy and cv2 only.

Usage: keypoint_score_reference.py RESULT.json FRAMES_DIR WIDTH HEIGHT VALIDATED_IDS
  FRAMES_DIR holds frame_<n>.png for every validated frame n; VALIDATED_IDS is comma-separated.
Prints the score's components as JSON.
"""
import json
import math
import sys
from collections import defaultdict

import cv2
import numpy as np

PITCH_W, PITCH_L = 7000, 12000
PB_W, PB_L, GB_W, GB_L, CIRCLE_R, SPOT = 4100, 2015, 1832, 550, 915, 1100


def pitch_vertices():
    w, l = PITCH_W, PITCH_L
    return [
        (0, 0), (0, (w - PB_W) / 2), (0, (w - GB_W) / 2), (0, (w + GB_W) / 2), (0, (w + PB_W) / 2), (0, w),
        (GB_L, (w - GB_W) / 2), (GB_L, (w + GB_W) / 2), (SPOT, w / 2),
        (PB_L, (w - PB_W) / 2), (PB_L, (w - GB_W) / 2), (PB_L, (w + GB_W) / 2), (PB_L, (w + PB_W) / 2),
        (l / 2, 0), (l / 2, w / 2 - CIRCLE_R), (l / 2, w / 2 + CIRCLE_R), (l / 2, w),
        (l - PB_L, (w - PB_W) / 2), (l - PB_L, (w - GB_W) / 2), (l - PB_L, (w + GB_W) / 2), (l - PB_L, (w + PB_W) / 2),
        (l - SPOT, w / 2), (l - GB_L, (w - GB_W) / 2), (l - GB_L, (w + GB_W) / 2),
        (l, 0), (l, (w - PB_W) / 2), (l, (w - GB_W) / 2), (l, (w + GB_W) / 2), (l, (w + PB_W) / 2), (l, w),
        (l / 2 - CIRCLE_R, w / 2), (l / 2 + CIRCLE_R, w / 2),
    ]


def valid_keypoints(kps, width=None, height=None, min_dist=25):
    keep = ~np.all(kps == 0, axis=1)
    if width is not None:
        keep &= (kps[:, 0] >= 0) & (kps[:, 0] < width) & (kps[:, 1] >= 0) & (kps[:, 1] < height)
    idx = np.where(keep)[0]
    points, indices = [], []
    for i in idx:
        if all(np.linalg.norm(kps[i] - p) >= min_dist for p in points):
            points.append(kps[i])
            indices.append(i)
    return np.array(points, dtype=kps.dtype).reshape(-1, 2), np.array(indices, dtype=int)


def fit_homography(kps, width, height):
    template = np.array(pitch_vertices(), dtype=np.float32) * np.array([width / PITCH_W, height / PITCH_L])
    pts, idx = valid_keypoints(kps, width, height)
    if len(pts) < 4:
        return None, 0.0, float('inf')
    targets = template[idx]
    h, mask = cv2.findHomography(pts, targets, cv2.RANSAC, max(width * 0.01, 12))
    if h is None or mask is None:
        return None, 0.0, float('inf')
    projected = cv2.perspectiveTransform(pts.reshape(-1, 1, 2), h).reshape(-1, 2)
    return h, float(np.sum(mask)) / mask.size, np.mean(np.linalg.norm(projected - targets, axis=1))


def pitch_lines(frame):
    h, w = frame.shape[:2]
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    grass = cv2.inRange(cv2.cvtColor(frame, cv2.COLOR_BGR2HSV), (35, 40, 40), (85, 255, 255))
    grass = cv2.morphologyEx(grass, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    tophat = cv2.morphologyEx(gray, cv2.MORPH_TOPHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (31, 31)))
    _, white = cv2.threshold(tophat, 30, 255, cv2.THRESH_BINARY)
    edges = cv2.Canny(cv2.GaussianBlur(cv2.bitwise_and(white, grass), (5, 5), 0), 30, 100)
    found = cv2.HoughLinesP(edges, rho=1, theta=np.pi / 360, threshold=30, minLineLength=10, maxLineGap=15)
    drawn = np.zeros_like(gray)
    on_grass = []
    for x1, y1, x2, y2 in (found[:, 0] if found is not None else []):
        samples = [(int(x1 + (x2 - x1) * t), int(y1 + (y2 - y1) * t)) for t in np.linspace(0, 1, 30)]
        if all(grass[y, x] != 0 for x, y in samples):
            cv2.line(drawn, (x1, y1), (x2, y2), 255, 2)
            on_grass.append((x1, y1, x2, y2))
    drawn[:3, :] = 0
    drawn[-3:, :] = 0
    drawn[:, :3] = 0
    drawn[:, -3:] = 0
    kept = [s for s in on_grass if drawn[(s[1] + s[3]) // 2, (s[0] + s[2]) // 2] > 0]
    mids = [((a + c) / 2, (b + d) / 2) for a, b, c, d in kept]
    return [s for s, (mx, my) in zip(kept, mids)
            if sum(1 for ux, uy in mids if abs(ux - mx) < 80 and abs(uy - my) < 80) <= 80]


def logistic(d):
    return 1.0 / (1.0 + np.exp((d - 0.02) / 0.0037))


def segment_distance(px, py, x1, y1, x2, y2):
    vx, vy = x2 - x1, y2 - y1
    t = max(0, min(1, ((px - x1) * vx + (py - y1) * vy) / float(vx * vx + vy * vy)))
    return np.hypot(px - (x1 + t * vx), py - (y1 + t * vy))


def on_line(kps, lines, width, height):
    pts, _ = valid_keypoints(kps, width, height)
    if len(pts) == 0:
        return 0.5
    if not lines:
        return 0
    segs = [(a / width, b / height, c / width, d / height) for a, b, c, d in lines]
    return logistic(np.mean([min(segment_distance(u, v, *s) for s in segs) for u, v in pts / np.array([width, height])]))


def prefiltered(objects, width):
    def large(o):
        x1, y1, x2, y2 = o['bbox']
        return o.get('class_id') == 0 or (x2 - x1 >= 15 and y2 - y1 >= 40)

    def scoreboard(o):
        x1, y1, x2, y2 = o['bbox']
        return not (x2 < 0 or x1 > width or y2 < 0 or y1 > 150)
    return [o for o in objects if large(o) and not scoreboard(o)]


def centre(o):
    b = o['bbox']
    return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]


def inside_share(frame, h, width):
    outline = np.array(pitch_vertices(), dtype=np.float32)[[0, 5, 29, 24]].reshape(-1, 1, 2).astype(np.int32)
    objs = prefiltered(frame.get('objects', []), width)
    hits = 0
    for o in objs:
        p = cv2.perspectiveTransform(np.array([[centre(o)]], dtype=np.float32), h).reshape(-1)
        hits += cv2.pointPolygonTest(outline, (p[0], p[1]), False) >= 0
    return hits / len(objs) if objs else 0.0


def mean_pairwise(points):
    return np.mean([np.linalg.norm(points[i] - points[j]) for i in range(len(points)) for j in range(i + 1, len(points))])


def scale_ratio(kps, frame, width, height):
    pts, _ = valid_keypoints(kps, width, height)
    if len(pts) < 2:
        return 1.0
    centres = np.array([centre(o) for o in prefiltered(frame.get('objects', []), width)])
    if len(centres) < 2:
        return 1.0
    return mean_pairwise(pts) / (mean_pairwise(centres) + 1e-6)


def players(frame):
    return [(o['id'], centre(o)) for o in frame.get('objects', []) if o.get('class_id') == 2]


def segments_of(frames):
    segment, previous, of_frame, cuts = 0, {}, {}, []
    for n, fid in enumerate(sorted(int(k) for k in frames)):
        of_frame[str(fid)] = segment
        current, jumps, count = {}, 0, 0
        for pid, c in players(frames[str(fid)]):
            current[pid] = c
            if n == 0:
                continue
            if pid in previous and np.linalg.norm(np.array(c) - np.array(previous[pid])) > 20:
                jumps += 1
            count += 1
        previous = current
        if count > 0 and jumps / count >= 0.5:
            cuts.append(fid)
            segment += 1
    return cuts, of_frame


def group(of_frame):
    groups = defaultdict(list)
    for fid, seg in of_frame.items():
        groups[seg].append(fid)
    return groups


def stability(frames, of_frame, width, height):
    out = {}
    for seg, ids in group(of_frame).items():
        if len(ids) < 2:
            out[seg] = 1.0
            continue
        valid = {}
        for fid in ids:
            kps = np.array(frames[fid]['keypoints']).reshape(-1, 2)
            if fit_homography(kps, width, height)[0] is not None:
                valid[fid] = valid_keypoints(kps)
        if len(valid) < 2:
            out[seg] = 0.5
            continue
        order = sorted(valid.keys())  # string order, as the validator sorts its dict keys
        diffs = []
        for a, b in zip(order, order[1:]):
            (pa, ia), (pb, ib) = valid[a], valid[b]
            common = np.intersect1d(ia, ib)
            if len(common) < 2:
                continue
            ca = np.array([pa[np.where(ia == i)[0][0]] for i in common])
            cb = np.array([pb[np.where(ib == i)[0][0]] for i in common])
            da = np.array([np.linalg.norm(ca[i] - ca[j]) for i in range(len(common)) for j in range(i + 1, len(common))])
            db = np.array([np.linalg.norm(cb[i] - cb[j]) for i in range(len(common)) for j in range(i + 1, len(common))])
            diffs.append(np.mean(np.abs(da - db) / (da + 1e-6)))
        out[seg] = np.exp(-10 * np.mean(diffs)) if diffs else 0.5
    return out


def plausibility(frames, of_frame):
    out = {}
    for seg, ids in group(of_frame).items():
        ids = [str(i) for i in sorted(int(i) for i in ids)]
        if len(ids) < 2:
            out[seg] = 1.0
            continue
        bad, total, previous = 0, 0, {}
        for n, fid in enumerate(ids):
            current = {}
            for pid, c in players(frames[fid]):
                current[pid] = c
                if n > 0 and pid in previous and int(fid) - int(ids[n - 1]) <= 2:
                    total += 1
                    bad += np.linalg.norm(np.array(c) - np.array(previous[pid])) > 30
            previous = current
        out[seg] = max(0, 1.0 - bad / total) if total else 0.5
    return out


def player_score(frames):
    tracks = defaultdict(list)
    for fid, frame in frames.items():
        for pid, c in players(frame):
            tracks[pid].append((int(fid), c))
    points, count = 0, 0
    for track in tracks.values():
        track.sort(key=lambda e: e[0])
        for (_, a), (_, b) in zip(track, track[1:]):
            jump = np.linalg.norm(np.array(b) - np.array(a))
            points += 0.5 if 2 < jump <= 10 else 1
            count += 1
    return points / count * 100 if count else 0


def consistency(frames, validated, width, height):
    ids = sorted({int(i) for i in validated})
    if not ids:
        return 1.0
    runs = [[ids[0]]]
    for a, b in zip(ids, ids[1:]):
        if b == a + 1:
            runs[-1].append(b)
        else:
            runs.append([b])
    diag = math.hypot(width, height)
    weighted, length = 0.0, 0
    for run in runs:
        scores = [1.0]
        for a, b in zip(run, run[1:]):
            a, b = str(a), str(b)
            if a not in frames or b not in frames:
                scores.append(0.0)
                continue
            ka, kb = frames[a]['keypoints'], frames[b]['keypoints']
            pa, ia = valid_keypoints(np.array(ka).reshape(-1, 2), width, height)
            pb, ib = valid_keypoints(np.array(kb).reshape(-1, 2), width, height)
            if all(p == [0.0, 0.0] for p in ka) and all(p == [0.0, 0.0] for p in kb):
                scores.append(1)
                continue
            common = np.intersect1d(ia, ib)
            if len(common) == 0:
                scores.append(0)
                continue
            ca = np.array([pa[np.where(ia == i)[0][0]] for i in common])
            cb = np.array([pb[np.where(ib == i)[0][0]] for i in common])
            scores.append(logistic(float(np.mean(np.linalg.norm(cb - ca, axis=1))) / diag))
        weighted += float(np.mean(scores)) * len(scores)
        length += len(scores)
    return weighted / length


def main():
    result_path, frames_dir, width, height, validated = sys.argv[1:6]
    width, height = int(width), int(height)
    validated = [int(v) for v in validated.split(',')]
    with open(result_path) as f:
        listed = json.load(f)['frames']
    frames = {str(k): v for k, v in {f.get('frame_number', str(i)): f for i, f in enumerate(listed)}.items()
              if int(k) in validated}
    lines = {str(n): pitch_lines(cv2.imread(f'{frames_dir}/frame_{n}.png')) for n in validated}

    cuts, of_frame = segments_of(frames)
    stable = stability(frames, of_frame, width, height)
    plausible = plausibility(frames, of_frame)
    per_frame = []
    for fid, frame in frames.items():
        kps = np.array(frame['keypoints']).reshape(-1, 2)
        h, inliers, error = fit_homography(kps, width, height)
        if h is None:
            continue
        valid, _ = valid_keypoints(kps, width, height)
        per_frame.append({
            'frame_number': int(fid), 'inlier_ratio': inliers, 'error': float(error),
            'fit': (min(inliers * 100, 100) + max(0, 100 - error)) / 2,
            'on_line': float(on_line(valid, lines.get(fid, []), width, height)),
            'inside': inside_share(frame, h, width),
            'scale': min(scale_ratio(kps, frame, width, height), 1.5),
            'stability': float(stable[of_frame[fid]]), 'plausibility': float(plausible[of_frame[fid]]),
        })

    def mean_of(key):
        return float(np.mean([p[key] for p in per_frame])) if per_frame else 0.0
    out = {
        'lines': {k: len(v) for k, v in lines.items()},
        'frames': per_frame,
        'scene_transitions': len(cuts),
        'keypoint_score': sum(p['fit'] for p in per_frame) / len(per_frame) if per_frame else 0.0,
        'mean_on_line': sum(p['on_line'] for p in per_frame) / len(per_frame) if per_frame else 0.0,
        'mean_inside': sum(p['inside'] for p in per_frame) / len(per_frame) if per_frame else 0.0,
        'mean_scale': min(sum(p['scale'] for p in per_frame) / len(per_frame), 1) if per_frame else 0.0,
        'scale_valid': float(np.clip(len(per_frame) / len(validated) / 0.4, 0, 1)),
        'keypoint_stability': mean_of('stability'),
        'player_plausibility': mean_of('plausibility'),
        'player_score': float(player_score(frames)),
        'scene_consistency': float(consistency(frames, validated, width, height)),
    }
    weighted = (0.25 * out['keypoint_score'] + 40 * out['mean_on_line'] + 20 * out['mean_inside'] +
                5 * out['keypoint_stability'] + 0.1 * (out['player_plausibility'] * 100 + out['player_score']) / 2)
    out['final_score'] = weighted * out['scene_consistency'] * (out['mean_scale'] + out['scale_valid']) / 2 / 100
    print(json.dumps(out, default=float))


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""The OpenCV baseline of the combined benchmark (`npm run bench`): the person-detection pipeline a
Python developer would write with Debian's python3-opencv, on the same model file and the same video
as the gateway.

    cv2.VideoCapture (FFmpeg backend, every frame decoded, BGR)
      -> cv2.resize to 512x512 (bilinear) -> cv2.cvtColor BGR->RGB -> uint8 NHWC blob
      -> cv2.dnn forward (the converted CenterNet; normalisation is inside the graph)
      -> peaks/wh decoded with numpy -> cv2.dnn.NMSBoxes -> boxes in source pixels

Driven by benchmarks/baseline/opencv.ts. Usage: opencv_pipeline.py MODE 'JSON-ARGS'; the result is
one line `RESULT {json}` on stdout, progress goes to stderr. Modes:
    info     versions; tries to load and run each model in `models` (records the error if it cannot)
    detect   detections on frames `frames` of `video` (for the accuracy comparison)
    fps      per-frame cost of decode and of detect on `video` (medians), frames/s of the pipeline
    cameras  N RTSP cameras sampled at `fps` each, one detector thread: handled fps per camera,
             frame-to-result latency p50/p99, process CPU and RSS
Needs /usr/bin/python3 (Debian's cv2 is not visible to another python3 on PATH).
"""
import json
import os
import platform
import re
import resource
import sys
import threading
import time

os.environ.setdefault('OPENCV_FFMPEG_CAPTURE_OPTIONS', 'rtsp_transport;tcp')
os.environ.setdefault('OPENCV_LOG_LEVEL', 'ERROR')

import cv2  # noqa: E402
import numpy as np  # noqa: E402

SIZE = 512


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def result(obj):
    print('RESULT ' + json.dumps(obj), flush=True)


class Detector:
    """cv2.dnn on the CenterNet heads (peaks = class heatmap kept at 3x3 local maxima, wh = distances
    from the cell centre to the box edges in input pixels), decoded as models/detector does."""

    def __init__(self, model, threshold=0.3, nms_iou=0.5, threads=0):
        if threads > 0:
            cv2.setNumThreads(threads)
        self.net = cv2.dnn.readNetFromONNX(model)
        self.net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        self.net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        self.outputs = list(self.net.getUnconnectedOutLayersNames())
        self.threshold = threshold
        self.nms_iou = nms_iou

    def forward(self, rgb512):
        self.net.setInput(rgb512[None])
        outs = dict(zip(self.outputs, self.net.forward(self.outputs)))
        return outs['peaks'], outs['wh']

    def detect(self, bgr):
        h, w = bgr.shape[:2]
        rgb = cv2.cvtColor(cv2.resize(bgr, (SIZE, SIZE), interpolation=cv2.INTER_LINEAR), cv2.COLOR_BGR2RGB)
        peaks, wh = self.forward(rgb)
        grid_h, grid_w, classes = peaks.shape[1:]
        stride = SIZE / grid_w
        cells, cls = np.nonzero(peaks[0].reshape(-1, classes) >= self.threshold)
        if cells.size == 0:
            return []
        scores = peaks[0].reshape(-1, classes)[cells, cls]
        d = wh[0].reshape(-1, 4)[cells]
        cx = (cells % grid_w) * stride
        cy = (cells // grid_w) * stride
        sx, sy = w / SIZE, h / SIZE
        x1 = np.clip((cx - d[:, 0]) * sx, 0, w)
        y1 = np.clip((cy - d[:, 1]) * sy, 0, h)
        x2 = np.clip((cx + d[:, 2]) * sx, 0, w)
        y2 = np.clip((cy + d[:, 3]) * sy, 0, h)
        boxes = [[float(a), float(b), float(c - a), float(e - b)] for a, b, c, e in zip(x1, y1, x2, y2)]
        keep = cv2.dnn.NMSBoxes(boxes, scores.astype(float).tolist(), self.threshold, self.nms_iou)
        keep = sorted(np.array(keep).reshape(-1).tolist(), key=lambda k: -scores[k])
        return [{'box': [float(x1[k]), float(y1[k]), float(x2[k]), float(y2[k])], 'score': float(scores[k]), 'classId': int(cls[k])} for k in keep]


def percentile(values, p):
    if not values:
        return 0.0
    s = sorted(values)
    i = min(len(s) - 1, max(0, int(np.ceil(p / 100 * len(s))) - 1))
    return float(s[i])


def rss_mib():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def mode_info(args):
    out = {
        'python': platform.python_version(),
        'executable': sys.executable,
        'opencv': cv2.__version__,
        'numpy': np.__version__,
        'threads': cv2.getNumThreads(),
        'ffmpegBackend': re.search(r'FFMPEG:\s+YES', cv2.getBuildInformation()) is not None,
        'models': [],
    }
    for path in args.get('models', []):
        entry = {'path': path, 'loaded': False, 'ran': False}
        try:
            net = cv2.dnn.readNetFromONNX(path)
            entry['loaded'] = True
            names = list(net.getUnconnectedOutLayersNames())
            net.setInput(np.zeros((1, SIZE, SIZE, 3), np.uint8))
            outs = net.forward(names)
            entry['ran'] = True
            entry['outputs'] = {n: list(o.shape) for n, o in zip(names, outs)}
        except Exception as e:  # cv2.error: record the importer's own words
            msg = str(e).strip()
            entry['error'] = msg
            # The line naming the node and the reason, without the C++ source positions.
            for line in msg.splitlines():
                if 'Node [' in line or "Can't create layer" in line:
                    entry['reason'] = line.strip('> ').strip()
                    break
        out['models'].append(entry)
    result(out)


def read_frames(video, indices):
    """Decodes `video` sequentially with VideoCapture and keeps the frames at `indices` (BGR)."""
    cap = cv2.VideoCapture(video, cv2.CAP_FFMPEG)
    wanted = set(indices)
    frames = {}
    i = 0
    while len(frames) < len(wanted):
        ok, frame = cap.read()
        if not ok:
            break
        if i in wanted:
            frames[i] = frame
        i += 1
    cap.release()
    missing = wanted - frames.keys()
    if missing:
        raise SystemExit(f'{video}: frames {sorted(missing)} not found (video has {i} frames)')
    return frames


def mode_detect(args):
    det = Detector(args['model'], args.get('threshold', 0.3), threads=args.get('threads', 0))
    frames = read_frames(args['video'], args['frames'])
    out = []
    for i in args['frames']:
        f = frames[i]
        out.append({'frame': i, 'width': f.shape[1], 'height': f.shape[0], 'detections': det.detect(f)})
    result({'frames': out})


def mode_fps(args):
    """Decode cost per frame (VideoCapture.read of every frame of the video, as a camera loop does)
    and detect cost per frame (resize + colour + forward + decode + NMS) on the first `frames`."""
    det = Detector(args['model'], args.get('threshold', 0.3), threads=args.get('threads', 0))
    n = args.get('frames', 30)
    warmup = args.get('warmup', 3)
    runs = args.get('runs', 1)
    cap = cv2.VideoCapture(args['video'], cv2.CAP_FFMPEG)
    frames = []
    decode_ms = []
    while len(frames) < n + warmup:
        t0 = time.perf_counter()
        ok, frame = cap.read()
        if not ok:
            break
        decode_ms.append((time.perf_counter() - t0) * 1000)
        frames.append(frame)
    cap.release()
    for f in frames[:warmup]:
        det.detect(f)
    detect_ms = []
    for _ in range(runs):
        for f in frames[warmup:]:
            t0 = time.perf_counter()
            det.detect(f)
            detect_ms.append((time.perf_counter() - t0) * 1000)
    d50 = percentile(decode_ms[warmup:], 50)
    m50 = percentile(detect_ms, 50)
    # Where cv2.dnn spends its forward time, by layer type (its own profiler, last forward).
    _, per_layer = det.net.getPerfProfile()
    ms_per_tick = 1000.0 / cv2.getTickFrequency()
    by_type = {}
    names = det.net.getLayerNames()
    for name, ticks in zip(names, per_layer.ravel()):
        t = det.net.getLayer(name).type
        by_type[t] = by_type.get(t, 0.0) + float(ticks) * ms_per_tick
    result({
        'frames': len(detect_ms),
        'width': frames[0].shape[1],
        'height': frames[0].shape[0],
        'decodeMsP50': round(d50, 2),
        'detectMsP50': round(m50, 2),
        'detectMsP99': round(percentile(detect_ms, 99), 2),
        'detectFps': round(1000 / m50, 2),
        'threads': cv2.getNumThreads(),
        'layerMs': {k: round(v, 1) for k, v in sorted(by_type.items(), key=lambda kv: -kv[1])[:6]},
    })


def mode_cameras(args):
    det = Detector(args['model'], args.get('threshold', 0.3), threads=args.get('threads', 0))
    urls = args['urls']
    target_fps = args.get('fps', 5)
    warmup_s = args.get('warmupS', 5)
    measure_s = args.get('measureS', 20)
    n = len(urls)
    lock = threading.Lock()
    slots = [None] * n            # latest sampled frame not yet detected: (frame, t_captured)
    handled = [0] * n
    dropped = [0] * n             # sampled frames overwritten before the detector took them
    first = [threading.Event() for _ in range(n)]
    latencies = []
    stop = threading.Event()
    measuring = threading.Event()
    errors = []

    def capture(i, url):
        cap = cv2.VideoCapture(url, cv2.CAP_FFMPEG)
        if not cap.isOpened():
            errors.append(f'cannot open {url}')
            first[i].set()
            return
        src_fps = cap.get(cv2.CAP_PROP_FPS) or 15
        every = max(1, round(src_fps / target_fps))
        k = 0
        while not stop.is_set():
            ok, frame = cap.read()
            if not ok:
                errors.append(f'{url}: read failed')
                break
            k += 1
            if k % every:
                continue
            with lock:
                if slots[i] is not None and measuring.is_set():
                    dropped[i] += 1
                slots[i] = (frame, time.monotonic())
            first[i].set()
        cap.release()

    threads = [threading.Thread(target=capture, args=(i, u), daemon=True) for i, u in enumerate(urls)]
    for t in threads:
        t.start()
    for e in first:
        e.wait(30)
    log(f'opencv cameras: {n} streaming, warm-up {warmup_s} s')
    nxt = 0
    t_start = time.monotonic()
    t_measure = t_start + warmup_s
    t_end = t_measure + measure_s
    cpu0 = None
    while True:
        now = time.monotonic()
        if cpu0 is None and now >= t_measure:
            cpu0 = cpu_seconds()
            with lock:
                base = list(handled)
            latencies.clear()
            measuring.set()
        if now >= t_end:
            break
        item = None
        with lock:
            for j in range(n):
                i = (nxt + j) % n
                if slots[i] is not None:
                    item = (i, slots[i])
                    slots[i] = None
                    nxt = i + 1
                    break
        if item is None:
            time.sleep(0.002)
            continue
        i, (frame, t_cap) = item
        det.detect(frame)
        done = time.monotonic()
        with lock:
            handled[i] += 1
        latencies.append((done - t_cap) * 1000)
    cpu = cpu_seconds() - cpu0
    seconds = time.monotonic() - t_measure
    stop.set()
    for t in threads:
        t.join(5)
    fps = [(handled[i] - base[i]) / seconds for i in range(n)]
    min_fps = min(fps) if fps else 0.0
    p99 = percentile(latencies, 99)
    result({
        'cameras': n,
        'seconds': round(seconds, 2),
        'minFps': round(min_fps, 2),
        'meanFps': round(sum(fps) / n, 2),
        'dropped': sum(dropped),
        'latencyP50Ms': round(percentile(latencies, 50)),
        'latencyP99Ms': round(p99),
        'cpuCores': round(cpu / seconds, 2),
        'rssMiB': round(rss_mib()),
        'errors': errors[:5],
        'sustained': min_fps >= 0.95 * target_fps and p99 < 1000 and not errors,
    })


MODES = {'info': mode_info, 'detect': mode_detect, 'fps': mode_fps, 'cameras': mode_cameras}

if __name__ == '__main__':
    if len(sys.argv) < 2 or sys.argv[1] not in MODES:
        raise SystemExit(f'usage: {sys.argv[0]} {"|".join(MODES)} JSON-ARGS')
    MODES[sys.argv[1]](json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})

/**
 * Baseline (1) of the combined benchmark: the same person detection written the usual Python way
 * with Debian's python3-opencv (benchmarks/baseline/opencv_pipeline.py), on the same converted
 * model file and the same video as the gateway, measured here on the same machine:
 *  - whether cv2.dnn loads and runs the full converted graph (it does not, as of OpenCV 4.6: TopK);
 *  - per-frame decode and detect cost, and detector frames/s next to ours on the same frames;
 *  - the same detections? persons >= threshold on a few frames, boxes matched within a few px;
 *  - the most simulated cameras it sustains at 5 detected fps (the gateway's own criterion).
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ensureCenternetOnnx } from '../../models/assets/centernet-onnx';
import { Detector } from '../../models/detector';
import type { RgbFrame } from '../../models/image';
import { CameraSimulator, resolveFfmpeg } from '../../streams';
import { resolveFfprobe } from '../../streams/ffmpeg/binary';
import { trackChild, terminate } from '../../streams/ffmpeg/children';
import { simulatorMedia } from '../../streams/simulator/media';
import { fileSha256, type StepLog } from '../lib/results';
import { measure } from '../lib/timing';
import { BOX_TOLERANCE_PX, compareDetections, SCORE_MARGIN, THRESHOLD, type AccuracyFrame, type Box } from './accuracy';
import { ensureOpenCvModel, type OpenCvModel } from './opencv-model';

const SCRIPT = join(import.meta.dirname, 'opencv_pipeline.py');
/** Debian's cv2 loads only in the system interpreter; OPENCV_PYTHON points elsewhere. */
export const OPENCV_PYTHON = process.env.OPENCV_PYTHON ?? '/usr/bin/python3';
/** Frames of the 720p simulator video compared between the two pipelines. */
const ACCURACY_FRAMES = [0, 60, 120, 180, 240, 300];

export type { AccuracyFrame, Box } from './accuracy';

export interface AccuracyComparison {
  threshold: number;
  tolerancePx: number;
  frames: AccuracyFrame[];
  scoreMargin: number;
  persons: { ours: number; opencv: number; matched: number; borderline: number };
  maxCornerDiffPx: number;
  maxScoreDiff: number;
  /** Every person scored >= threshold + scoreMargin on either side matched on the other, every matched box within tolerancePx. */
  equal: boolean;
}

export interface OpenCvCameraStep {
  cameras: number;
  minFps: number;
  meanFps: number;
  dropped: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  cpuCores: number;
  rssMiB: number;
  sustained: boolean;
  errors: string[];
}

export interface OpenCvBaselineResult {
  available: boolean;
  /** Why the baseline did not run (no python3-opencv, say). */
  reason?: string;
  python?: string;
  opencv?: string;
  numpy?: string;
  cvThreads?: number;
  /** Whether cv2.dnn could load and run the full converted graph (with its TopK tail). */
  fullGraph?: { source: string; loaded: boolean; ran: boolean; error?: string; detail?: string };
  /** What the baseline actually runs. */
  model?: { source: string; sha256: string; opencvFile: string; variant: string; rewrites: readonly string[]; decode: string };
  video?: { path: string; sha256: string; width: number; height: number };
  /** Per-frame cost on the same frames: OpenCV (Python) and ours (Detector, ORT), batch 1, all cores. */
  fps?: {
    frames: number;
    opencv: { decodeMsP50: number; detectMsP50: number; detectMsP99: number; detectFps: number; layerMs?: Record<string, number> };
    ours: { detectMsP50: number; detectMsP99: number; detectFps: number };
  };
  accuracy?: AccuracyComparison;
  cameras?: { sustained: number; steps: OpenCvCameraStep[] };
}

export interface OpenCvBaselineOptions {
  quick?: boolean;
  /** Camera counts of the ramp (stops at the first not sustained). */
  cameraCounts?: number[];
  log?: StepLog;
}

/** Runs one mode of opencv_pipeline.py and returns its RESULT object. */
export function runPython<T>(mode: string, args: unknown, timeoutMs = 600_000, log?: StepLog): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(OPENCV_PYTHON, [SCRIPT, mode, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      void terminate(child);
      reject(new Error(`opencv_pipeline.py ${mode}: no result after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
      for (const line of d.toString().split('\n')) if (line.startsWith('opencv ') && log) log(`  ${line}`);
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as T);
      else reject(new Error(`opencv_pipeline.py ${mode} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** Frames `indices` of a video as RGB24, decoded by ffmpeg in one pass. */
function decodeFrames(video: string, indices: number[], width: number, height: number): RgbFrame[] {
  const select = indices.map((i) => `eq(n\\,${i})`).join('+');
  const raw = execFileSync(resolveFfmpeg().path, ['-v', 'error', '-i', video, '-vf', `select=${select}`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 30 });
  const size = width * height * 3;
  if (raw.length !== size * indices.length) throw new Error(`${video}: decoded ${raw.length} bytes for ${indices.length} frames of ${width}x${height}`);
  return indices.map((_, k) => ({ data: new Uint8Array(raw.buffer, raw.byteOffset + k * size, size), width, height }));
}

function videoSize(video: string): { width: number; height: number } {
  const [w, h] = execFileSync(resolveFfprobe(), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', video], { encoding: 'utf8' }).trim().split(',');
  return { width: Number(w), height: Number(h) };
}

/** The importer's complaint in a few words, e.g. `no "TopK" layer (node tower_0/TopKV2)`. */
export function importerError(m: { error?: string; reason?: string }): string {
  const text = m.reason ?? m.error ?? 'unknown error';
  const layer = /Can't create layer "(?:onnx_node!)?([^"]+)" of type "([^"]+)"/.exec(text);
  if (layer) return `no "${layer[2]}" layer in cv2.dnn (node ${layer[1]})`;
  return text.split('\n')[0]!.replace(/^OpenCV\([^)]*\)\s*\S+:\d+:\s*/, '');
}

interface PyInfo {
  python: string;
  opencv: string;
  numpy: string;
  threads: number;
  ffmpegBackend: boolean;
  models: Array<{ path: string; loaded: boolean; ran: boolean; error?: string; reason?: string }>;
}

export async function runOpenCvBaseline(options: OpenCvBaselineOptions = {}): Promise<OpenCvBaselineResult> {
  const quick = options.quick ?? false;
  const log = options.log ?? ((line: string) => console.log(line));
  if (!existsSync(OPENCV_PYTHON)) return { available: false, reason: `${OPENCV_PYTHON} not found (set OPENCV_PYTHON)` };

  // The gateway's detector file (heads, person-only class head) and the full graph with its TopK tail.
  const headsSource = await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: true, classIds: [0] });
  const fullSource = await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: false });
  let heads: OpenCvModel;
  let full: OpenCvModel;
  try {
    [heads, full] = [await ensureOpenCvModel(headsSource), await ensureOpenCvModel(fullSource)];
  } catch (err) {
    return { available: false, reason: `could not prepare the model for cv2.dnn: ${(err as Error).message}` };
  }
  log('opencv baseline: versions, and whether cv2.dnn runs the full graph');
  let info: PyInfo;
  try {
    info = await runPython<PyInfo>('info', { models: [full.path, heads.path] }, 120_000);
  } catch (err) {
    return { available: false, reason: `python3-opencv not usable: ${(err as Error).message}` };
  }
  const [fullInfo, headsInfo] = info.models as [PyInfo['models'][0], PyInfo['models'][0]];
  const result: OpenCvBaselineResult = {
    available: headsInfo.ran,
    python: info.python,
    opencv: info.opencv,
    numpy: info.numpy,
    cvThreads: info.threads,
    fullGraph: { source: fullSource, loaded: fullInfo.loaded, ran: fullInfo.ran, ...(fullInfo.ran ? {} : { error: importerError(fullInfo), detail: fullInfo.error ?? '' }) },
    model: {
      source: headsSource,
      sha256: fileSha256(headsSource),
      opencvFile: heads.path,
      variant: fullInfo.ran
        ? 'heads variant, person-only class head (the gateway’s model file; the full graph also runs)'
        : 'heads variant, person-only class head (the gateway’s model file): cv2.dnn cannot run the full graph, so peaks/wh are decoded in Python',
      rewrites: heads.rewrites,
      decode: 'numpy (peaks >= threshold, boxes from wh) + cv2.dnn.NMSBoxes (IoU 0.5)',
    },
  };
  if (!headsInfo.ran) {
    result.reason = `cv2.dnn cannot run the heads variant either: ${importerError(headsInfo)}`;
    return result;
  }

  const video = simulatorMedia('720p');
  const { width, height } = videoSize(video);
  result.video = { path: video, sha256: fileSha256(video), width, height };

  // Same frames, both pipelines, batch 1, all cores.
  const nFrames = quick ? 8 : 40;
  const warmup = quick ? 2 : 5;
  log(`opencv baseline: per-frame decode and detect cost, ${nFrames} frames`);
  const cv = await runPython<{ frames: number; decodeMsP50: number; detectMsP50: number; detectMsP99: number; detectFps: number; layerMs?: Record<string, number> }>('fps', {
    model: heads.path,
    video,
    frames: nFrames,
    warmup,
    runs: quick ? 1 : 3,
    threshold: THRESHOLD,
  });
  log('opencv baseline: our Detector on the same frames');
  const frames = decodeFrames(video, Array.from({ length: nFrames + warmup }, (_, i) => i), width, height);
  const detector = await Detector.create({ kind: 'centernet', classes: ['person'], scoreThreshold: THRESHOLD, session: { intraOpThreads: cpus().length, executionProviders: ['cpu'] } });
  let k = 0;
  const timed = frames.slice(warmup);
  for (const f of frames.slice(0, warmup)) await detector.detectOne(f);
  const ours = await measure(() => detector.detectOne(timed[k++ % timed.length]!), { warmup: 0, minRuns: timed.length * (quick ? 1 : 3), maxRuns: timed.length * (quick ? 1 : 3), minMillis: 0 });
  result.fps = {
    frames: timed.length,
    opencv: { decodeMsP50: cv.decodeMsP50, detectMsP50: cv.detectMsP50, detectMsP99: cv.detectMsP99, detectFps: cv.detectFps, ...(cv.layerMs ? { layerMs: cv.layerMs } : {}) },
    ours: { detectMsP50: ours.medianMs, detectMsP99: ours.p99Ms, detectFps: Math.round((1000 / ours.medianMs) * 100) / 100 },
  };

  const accFrames = quick ? ACCURACY_FRAMES.slice(0, 3) : ACCURACY_FRAMES;
  log(`opencv baseline: detections on frames ${accFrames.join(', ')} (persons >= ${THRESHOLD})`);
  const cvDet = await runPython<{ frames: Array<{ frame: number; detections: Box[] }> }>('detect', { model: heads.path, video, frames: accFrames, threshold: THRESHOLD });
  const ourFrames = decodeFrames(video, accFrames, width, height);
  const perFrame = [];
  for (const [i, f] of ourFrames.entries()) {
    const mine: Box[] = (await detector.detectOne(f)).map((d) => ({ box: [d.box.x1, d.box.y1, d.box.x2, d.box.y2], score: d.score }));
    perFrame.push(compareDetections(accFrames[i]!, mine, cvDet.frames[i]!.detections));
  }
  await detector.dispose();
  result.accuracy = {
    threshold: THRESHOLD,
    tolerancePx: BOX_TOLERANCE_PX,
    scoreMargin: SCORE_MARGIN,
    frames: perFrame.map(({ withinTolerance: _, ...f }) => f),
    persons: {
      ours: perFrame.reduce((a, f) => a + f.ours, 0),
      opencv: perFrame.reduce((a, f) => a + f.opencv, 0),
      matched: perFrame.reduce((a, f) => a + f.matched, 0),
      borderline: perFrame.reduce((a, f) => a + f.borderline, 0),
    },
    maxCornerDiffPx: Math.max(0, ...perFrame.map((f) => f.maxCornerDiffPx)),
    maxScoreDiff: Math.max(0, ...perFrame.map((f) => f.maxScoreDiff)),
    equal: perFrame.every((f) => f.withinTolerance),
  };

  // Cameras: the same simulated street cameras as the gateway benchmark, same criterion.
  const counts = options.cameraCounts ?? (quick ? [1] : [1, 2, 3, 4, 6, 8]);
  const names = Array.from({ length: Math.max(...counts) }, (_, i) => `street${i + 1}`);
  const sim = await CameraSimulator.start({ cameras: names.map((name) => ({ name })) });
  const steps: OpenCvCameraStep[] = [];
  try {
    for (const n of counts) {
      log(`opencv baseline: ${n} camera${n > 1 ? 's' : ''} at 5 fps`);
      const warmupS = quick ? 2 : 8;
      const measureS = quick ? 4 : 40;
      const s = await runPython<OpenCvCameraStep>('cameras', { model: heads.path, urls: names.slice(0, n).map((c) => sim.url(c)), fps: 5, warmupS, measureS, threshold: THRESHOLD }, (warmupS + measureS + 120) * 1000, log);
      steps.push(s);
      log(`  opencv ${n} cameras: min ${s.minFps} fps, p50 ${s.latencyP50Ms} ms, p99 ${s.latencyP99Ms} ms, ${s.cpuCores} cores, RSS ${s.rssMiB} MiB -> ${s.sustained ? 'sustained' : 'not sustained'}`);
      if (!s.sustained) break;
    }
  } finally {
    await sim.stop();
  }
  result.cameras = { sustained: Math.max(0, ...steps.filter((s) => s.sustained).map((s) => s.cameras)), steps };
  return result;
}

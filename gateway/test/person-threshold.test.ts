import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaPath } from '../../test-helpers/media';
import { resolveFfmpeg, type CameraHealth, type Frame } from '../../streams';
import { FrameCutter } from '../../streams/camera/frame-cutter';
import { parseConfig } from '../config';
import { InferencePool, personDetectorConfig } from '../inference';
import { CameraPipeline, type FrameSource } from '../pipeline/camera-pipeline';
import type { TrackSummary } from '../pipeline/track-summary';

const W = 640;
const H = 360;
/** 20 s of vtest.avi (10 fps) at the gateway's default 5 fps. */
const FRAMES = 100;
const FRAME_MS = 200;
let frames: Buffer[] = [];

/** Every second frame of the pedestrian video, decoded and scaled by ffmpeg as the gateway does. */
async function decodeFrames(): Promise<Buffer[]> {
  const ffmpeg = spawn(resolveFfmpeg().path, ['-v', 'error', '-i', mediaPath('vtest.avi'), '-vf', `select=not(mod(n\\,2)),scale=${W}:${H}`, '-vsync', 'passthrough', '-frames:v', String(FRAMES), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
  const out: Buffer[] = [];
  const cutter = new FrameCutter(W * H * 3, (f) => out.push(Buffer.from(f)));
  for await (const chunk of ffmpeg.stdout) cutter.push(chunk as Buffer);
  return out;
}

/**
 * The decoded frames as a camera: one at a time, 200 ms apart on the frame clock, none dropped
 * (the pipeline asks for the next only when it is done with the last). Before handing out a frame
 * it reads how many people the pipeline counts in its zone after the previous one.
 */
function replay(cameraId: string, zoneCount: () => number): FrameSource & { counts: number[] } {
  const t0 = Date.now();
  let index = 0;
  const counts: number[] = [];
  const health = (): CameraHealth => ({ cameraId, url: 'replay', state: 'streaming', since: t0, framesIn: index, framesDelivered: index, framesDropped: 0, reconnects: 0, lastFrameAgeMs: 0, measuredFps: 5, ffmpegCpuSeconds: 0, ffmpegVersion: 'replay', width: W, height: H });
  return {
    counts,
    start: () => undefined,
    stop: async () => {
      index = frames.length;
    },
    health,
    next: async (): Promise<Frame | null> => {
      if (index > 0) counts.push(zoneCount());
      if (index >= frames.length) return null;
      // A copy: the pipeline moves each frame's buffer to the inference worker, and the clip is replayed per threshold.
      const data = Buffer.from(frames[index]!);
      const frame = { cameraId, seq: index, capturedAt: t0 + index * FRAME_MS, streamTime: (index * FRAME_MS) / 1000, width: W, height: H, data };
      index++;
      return frame;
    },
  };
}

interface Counted {
  /** People counted through the camera: confirmed tracks, each ending in a summary. */
  people: number;
  /** Sum over frames of the people counted in the whole-frame count zone. */
  personFrames: number;
}

/** Runs the 20 s clip through the gateway's detector, pool and camera pipeline as a site configured with this personThreshold would. */
async function countWith(personThreshold: number): Promise<Counted> {
  const config = parseConfig(
    {
      site: { id: 'threshold', name: 'Threshold' },
      cameras: [{ id: 'vtest', url: 'replay', motionGate: false, zones: [{ id: 'all', type: 'count', points: [[0, 0], [1, 0], [1, 1], [0, 1]] }] }],
      models: { personThreshold, threadsPerWorker: 2 },
    },
    {},
  );
  // maxAgeMs: the frame clock runs ahead of or behind the wall clock; no frame may be dropped as stale.
  const pool = await InferencePool.create({ workers: 1, detector: personDetectorConfig(config.models), maxBatch: 1, maxAgeMs: 3_600_000 });
  const summaries: TrackSummary[] = [];
  const sink = { start: () => undefined, update: () => undefined, end: () => undefined };
  let pipeline: CameraPipeline | undefined;
  const source = replay('vtest', () => pipeline!.live().zones[0]!.count);
  pipeline = new CameraPipeline(config.cameras[0]!, { stream: source, pool, sink, onMinute: () => undefined, onTrackEnded: (s) => summaries.push(s), personThreshold: config.models.personThreshold, timeZone: 'UTC' });
  try {
    pipeline.start();
    await expect.poll(() => source.counts.length, { timeout: 120_000, interval: 100 }).toBe(FRAMES);
    await pipeline.stop();
  } finally {
    await pool.close();
  }
  return { people: summaries.length, personFrames: source.counts.reduce((a, b) => a + b, 0) };
}

beforeAll(async () => {
  frames = await decodeFrames();
});
afterAll(() => {
  frames = [];
});

/** The configured default (0.35, chosen on vtest's dev frames with npm run eval). */
const DEFAULT_THRESHOLD = parseConfig({ site: { id: 's', name: 'S' }, cameras: [{ id: 'c', url: 'rtsp://x/y' }] }, {}).models.personThreshold;

describe('models.personThreshold decides who is counted (real detector on the pedestrian video)', () => {
  it('defaults to 0.35, between the strict and the low thresholds below', () => {
    expect(DEFAULT_THRESHOLD).toBe(0.35);
  });

  it('counts fewer people as it rises and more as it falls below the tracker keep-alive score', async () => {
    expect(frames).toHaveLength(FRAMES);
    const low = await countWith(0.15);
    const usual = await countWith(DEFAULT_THRESHOLD);
    const strict = await countWith(0.6);
    console.info(`people / person-frames counted at personThreshold 0.15: ${low.people} / ${low.personFrames}, ${DEFAULT_THRESHOLD} (default): ${usual.people} / ${usual.personFrames}, 0.6: ${strict.people} / ${strict.personFrames}`);
    expect(usual.people).toBeGreaterThan(0);
    expect(strict.people).toBeGreaterThan(0);
    expect(strict.people).toBeLessThan(usual.people);
    expect(strict.personFrames).toBeLessThan(usual.personFrames);
    // Below 0.2 the detector itself must report lower scores, or nothing between would reach the tracker.
    expect(low.people).toBeGreaterThan(usual.people);
    expect(low.personFrames).toBeGreaterThan(usual.personFrames);
  }, 300_000);

  it('runs the detector down to the keep-alive score: 0.2, or personThreshold when lower', () => {
    const models = (personThreshold: number) => parseConfig({ site: { id: 's', name: 'S' }, cameras: [{ id: 'c', url: 'rtsp://x/y' }], models: { personThreshold } }, {}).models;
    expect(personDetectorConfig(models(DEFAULT_THRESHOLD))).toMatchObject({ kind: 'centernet', classes: ['person'], scoreThreshold: 0.2 });
    expect(personDetectorConfig(models(0.9)).scoreThreshold).toBe(0.2);
    expect(personDetectorConfig(models(0.1)).scoreThreshold).toBe(0.1);
    expect(personDetectorConfig({ ...models(0.3), detectorModel: '/m/yolo.onnx', threadsPerWorker: 3 })).toMatchObject({ kind: 'yolo', modelPath: '/m/yolo.onnx', scoreThreshold: 0.2, session: { intraOpThreads: 3 } });
  });
});

/**
 * Runs the real product over a video: the gateway's CameraPipeline with the real InferencePool
 * (person detector), tracker and zone rules at the configuration's defaults, on one camera carrying
 * the zones of both demo cameras (both show vtest.avi). Every frame at detectFps is handed to the
 * pipeline (no drops); what it detected, tracked, counted and raised is collected as a ProductLog.
 */
import type { ZoneConfig } from '../../gateway/config';
import { parseConfig } from '../../gateway/config';
import { DEMO_ZONES } from '../../gateway/demo';
import { InferencePool, personDetectorConfig } from '../../gateway/inference';
import { CameraPipeline, type FrameObservation } from '../../gateway/pipeline/camera-pipeline';
import type { MinuteStat } from '../../gateway/pipeline/rules';
import { coolDownMsOf } from '../../gateway/zones';
import { FileFrames } from './file-frames';
import type { PredFrame } from './frames';
import { scaleBox } from './geometry';
import type { LineZone } from './lines';
import type { EvalZones, ProductLog } from './score';

/** capturedAt of frame 0: a fixed Monday 10:00 in the demo site's time zone (UTC+7), so minutes and local days are the same every run. */
export const EVAL_T0 = Date.UTC(2026, 0, 5, 3, 0, 0);

export interface RunOptions {
  video: string;
  /** The video's size and rate (the ground truth's `video`). */
  width: number;
  height: number;
  fps: number;
  /** Stop after this many frames handed to the pipeline (tests); default: the whole video. */
  maxFrames?: number;
  /** models.threadsPerWorker (0: ORT's default, all cores). */
  threadsPerWorker?: number;
}

export interface ProductRun {
  log: ProductLog;
  /** Per-minute zone statistics (onMinute). */
  minutes: MinuteStat[];
  settings: {
    cameraId: string;
    detectFps: number;
    detectSize: { width: number; height: number };
    every: number;
    personThreshold: number;
    timeZone: string;
    motionGate: boolean;
    zones: ZoneConfig[];
    t0: string;
    provider: string;
  };
  framesDelivered: number;
  detectedFrames: number;
  wallSeconds: number;
  /** Sink calls seen: events started, updated, ended. */
  sinkCalls: { start: number; update: number; end: number };
}

/** Every zone of both demo cameras, on the one evaluated camera. */
export function demoZones(): ZoneConfig[] {
  return [...DEMO_ZONES['queue-hall'], ...DEMO_ZONES['back-street']];
}

export function evalZonesOf(zones: readonly ZoneConfig[]): EvalZones {
  const out: EvalZones = { polygons: [], lines: [] };
  for (const z of zones) {
    if (z.type === 'line') out.lines.push({ id: z.id, points: [z.points[0]!, z.points[1]!], inDirection: z.inDirection } satisfies LineZone);
    else out.polygons.push({ id: z.id, type: z.type, points: z.points, coolDownSeconds: coolDownMsOf('coolDownSeconds' in z ? z : {}) / 1000 });
  }
  return out;
}

/** A live zone's crossing counters, where the rules report them (line zones). */
function crossingsOf(z: FrameObservation['zones'][number]): { crossingsIn?: number; crossingsOut?: number } {
  const c = z as { crossingsIn?: unknown; crossingsOut?: unknown };
  return {
    ...(typeof c.crossingsIn === 'number' ? { crossingsIn: c.crossingsIn } : {}),
    ...(typeof c.crossingsOut === 'number' ? { crossingsOut: c.crossingsOut } : {}),
  };
}

export async function runProduct(o: RunOptions): Promise<ProductRun> {
  const cameraId = 'vtest-eval';
  const config = parseConfig(
    {
      site: { id: 'eval', name: 'Evaluation' },
      // The motion gate off: vtest.avi moves throughout, and every frame must reach the detector to be scored.
      cameras: [{ id: cameraId, url: o.video, motionGate: false, zones: demoZones() }],
      models: o.threadsPerWorker === undefined ? {} : { threadsPerWorker: o.threadsPerWorker },
    },
    {},
  );
  const camera = config.cameras[0]!;
  const size = camera.detectSize;
  const every = Math.max(1, Math.round(o.fps / camera.detectFps));
  const source = new FileFrames({ cameraId, path: o.video, fps: o.fps, every, width: size.width, height: size.height, t0: EVAL_T0, ...(o.maxFrames === undefined ? {} : { maxFrames: o.maxFrames }) });
  const frameOf = (at: number) => source.frameOf(at);
  const log: ProductLog = { frames: [], entries: [], events: [] };
  const minutes: MinuteStat[] = [];
  const sinkCalls = { start: 0, update: 0, end: 0 };
  const toGt = { width: o.width, height: o.height };
  const onFrame = (f: FrameObservation): void => {
    const from = { width: f.width, height: f.height };
    const pred: PredFrame = {
      frame: frameOf(f.at),
      detections: f.detections.map((d) => ({ box: scaleBox(d.box, from, toGt), score: d.score })),
      tracks: f.tracks.map((t) => ({ id: t.id, box: scaleBox(t.box, from, toGt) })),
      zones: f.zones.map((z) => ({ zoneId: z.zoneId, count: z.count, ...crossingsOf(z) })),
    };
    log.frames.push(pred);
  };
  // maxAgeMs: the frame clock is not the wall clock; no frame may be dropped as stale.
  const pool = await InferencePool.create({ workers: 1, detector: personDetectorConfig(config.models), maxBatch: 1, maxAgeMs: Number.MAX_SAFE_INTEGER });
  const started = Date.now();
  const pipeline = new CameraPipeline(camera, {
    stream: source,
    pool,
    personThreshold: config.models.personThreshold,
    timeZone: config.site.timezone,
    sink: {
      start: (e) => {
        sinkCalls.start++;
        log.events.push({ zoneId: e.zoneId, type: e.type, frame: frameOf(e.at) });
      },
      update: () => void sinkCalls.update++,
      end: () => void sinkCalls.end++,
    },
    onMinute: (s) => minutes.push(s),
    onTrackEnded: (s) => {
      for (const v of s.zones) log.entries.push({ zoneId: v.zoneId, trackId: s.trackId, frame: frameOf(v.enter) });
    },
    onFrame,
  });
  let detectedFrames = 0;
  try {
    pipeline.start();
    // The pipeline pulls frames; it has handled every one when it asks for one past the last.
    await source.finished;
    detectedFrames = pipeline.live().detectedFrames;
    await pipeline.stop();
  } finally {
    await source.stop();
    await pool.close();
  }
  if (source.error) throw new Error(`decoding ${o.video}: ${source.error}`);
  return {
    log,
    minutes,
    settings: {
      cameraId,
      detectFps: camera.detectFps,
      detectSize: { width: size.width, height: size.height },
      every,
      personThreshold: config.models.personThreshold,
      timeZone: config.site.timezone,
      motionGate: camera.motionGate,
      zones: camera.zones,
      t0: new Date(EVAL_T0).toISOString(),
      provider: pool.provider,
    },
    framesDelivered: source.framesDelivered,
    detectedFrames,
    wallSeconds: Math.round((Date.now() - started) / 100) / 10,
    sinkCalls,
  };
}

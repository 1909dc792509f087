/**
 * A small, fixed evaluation report for the renderer tests (benchmarks/report): made-up labels and
 * product output, scored by the real scoring code, so its figures are consistent.
 */
import { parseGroundTruth } from './groundtruth';
import type { EvalReport } from './result';
import { scoreAll, type EvalZones, type ProductLog } from './score';
import { judgeTargets } from './targets';

const box = (x: number, y: number): [number, number, number, number] => [x - 20, y - 100, x + 20, y];

export function fixtureEvalReport(): EvalReport {
  // Two people walking right across the frame for 6 labelled frames; the product splits A's track once.
  const steps = Array.from({ length: 6 }, (_, k) => ({ frame: k * 10, a: box(200 + 60 * k, 300), b: box(200 + 60 * k, 500) }));
  const gt = parseGroundTruth({
    video: { name: 'vtest.avi', sha256: '45cddc9490be6934', width: 768, height: 576, fps: 10, frames: 60 },
    labelledEvery: 10,
    method: 'fixture',
    rules: ['fixture'],
    split: { dev: { fromFrame: 0, toFrame: 29 }, holdout: { fromFrame: 30, toFrame: 59 } },
    frames: steps.map((s) => ({ frame: s.frame, people: [{ id: 'A', box: s.a }, { id: 'B', box: s.b }] })),
  });
  const zones: EvalZones = {
    polygons: [{ id: 'staff-only', type: 'restricted', points: [[0.6, 0.3], [1, 0.3], [1, 1], [0.6, 1]], coolDownSeconds: 30 }],
    lines: [{ id: 'entrance', points: [[0.45, 0.3], [0.45, 0.95]], inDirection: 'right' }],
  };
  const log: ProductLog = {
    frames: steps.map((s, k) => ({
      frame: s.frame,
      detections: [{ box: s.a, score: 0.9 }, { box: s.b, score: 0.8 }],
      tracks: [{ id: k < 3 ? 1 : 3, box: s.a }, { id: 2, box: s.b }],
      zones: [{ zoneId: 'staff-only', count: k >= 4 ? 2 : 0 }, { zoneId: 'entrance', count: 0, crossingsIn: k >= 3 ? 2 : 0, crossingsOut: 0 }],
    })),
    entries: [{ zoneId: 'staff-only', trackId: 3, frame: 40 }, { zoneId: 'staff-only', trackId: 2, frame: 40 }],
    events: [{ zoneId: 'staff-only', type: 'restricted_zone_entry', frame: 40 }],
  };
  const figures = scoreAll(gt, log, zones, 0.45);
  return {
    schema: 1,
    kind: 'eval',
    date: '2026-11-29T09:00:00.000Z',
    commit: 'def5678',
    dirty: false,
    machine: { host: 'fixture', cpuModel: 'AMD EPYC', cores: 2, provider: 'cpu' },
    groundTruth: { file: 'benchmarks/groundtruth/vtest.json', sha256: '0123456789abcdef', video: 'vtest.avi', videoSha256: gt.video.sha256, labelledEvery: 10, labelledFrames: gt.frames.length, identities: 2, visits: 2, split: gt.split, method: gt.method },
    settings: {
      cameraId: 'vtest-eval',
      detectFps: 5,
      detectSize: { width: 640, height: 360 },
      every: 2,
      personThreshold: 0.45,
      timeZone: 'Asia/Ho_Chi_Minh',
      motionGate: false,
      zones: [],
      t0: '2026-01-05T03:00:00.000Z',
      provider: 'cpu',
    },
    run: { framesDelivered: 30, detectedFrames: 30, observedFrames: 30, wallSeconds: 3.2, sinkCalls: { start: 1, update: 1, end: 1 }, eventsByType: { restricted_zone_entry: 1 }, minuteCrossings: { entrance: { in: 2, out: 0 } } },
    figures,
    targets: { overall: judgeTargets(figures.overall), dev: judgeTargets(figures.dev), holdout: judgeTargets(figures.holdout) },
    notes: [],
  };
}

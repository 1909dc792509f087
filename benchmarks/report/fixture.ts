/** A small, fixed combined report for the renderer and compare-mode tests (made-up figures). */
import { fixtureEvalReport } from '../eval/fixture-report';
import { E2E_GOALS } from '../gateway/goals';
import type { ModelOnlyRow } from '../gateway/model-only';
import { summarise } from './summary';
import type { BenchReport, EndToEndStep } from './types';

/** The every-frame step at the limit, with the figures reports carry since issue 14. */
const atLimit = (): EndToEndStep => ({
  cameras: 4,
  staticCameras: 0,
  minFps: 4.97,
  latencyP50Ms: 150,
  latencyP99Ms: 409,
  cpuCores: 1.58,
  rssMiB: 700,
  skipRatio: 0,
  sustained: true,
  detectionsPerSecond: 19.9,
  rssMaxMiB: 710,
  nodeCores: 1.4,
  ffmpegCores: 0.18,
  batchSizes: { 1: 700, 2: 50 },
  layout: { workers: 2, threadsPerWorker: 1, maxBatch: 4 },
  costs: {
    detectedFrames: 796,
    perFrameMs: { ffmpegDecode: 6, ffmpegConvert: 3, motion: 0.5, transfer: 0.1, prepare: 0.4, inference: 44, outputs: 1.2, tracking: 2.5, store: 0.3, other: 12 },
    ffmpegMs: 9,
    totalMs: 70,
    decodeShare: 0.667,
    threads: { mainMs: 4.2, mainUnaccountedMs: 0.8, workersMs: 56.8, workersUnaccountedMs: 11.2 },
  },
});

const modelBest = (): ModelOnlyRow => ({ mode: 'prepared', batch: 1, inferencesPerSecond: 47.8, coreMsPerInference: 41.4, cores: 1.98 });

export function fixtureReport(): BenchReport {
  const report: BenchReport = {
    schema: 1,
    date: '2026-11-30T03:00:00.000Z',
    host: 'fixture',
    options: { quick: false, runs: 3, sections: ['models', 'decode', 'endToEnd', 'central', 'opencv'] },
    reproducibility: {
      inputSeed: '0x9e3779b9',
      warmup: 'untimed warm-up before every timed series',
      aggregation: 'median of 3 runs per figure',
      files: [{ role: 'detector, converted (ORT and cv2.dnn)', path: '/repo/.cache/models/converted/centernet-heads-u8-c0-x.onnx', sha256: '06ac26bf97c6ef95' }],
    },
    device: {
      host: 'fixture',
      cpuModel: 'AMD EPYC',
      cores: 2,
      memoryGiB: 24,
      node: 'v20.20.2',
      ortVersion: '1.30.0',
      executionProviders: ['cpu'],
      gitCommit: 'abc1234',
      platform: 'linux 6.1 x64',
      gpus: [{ name: 'NVIDIA Test <GPU>', memoryMiB: 16384, driver: '550.1' }],
      ortProviders: { listed: ['cpu', 'cuda'], usable: ['cpu'] },
      ffmpeg: { path: '/usr/bin/ffmpeg', version: 'ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers', hwaccels: ['vdpau', 'cuda', 'vaapi'], usableHwaccels: [] },
    },
    durationSeconds: 3600,
    models: {
      rows: [
        { model: 'centernet-512 person only', provider: 'cpu', threads: 1, batch1: { p50Ms: 33, p99Ms: 44, perSecond: 30.3 }, best: { batch: 1, msPerInference: 33, perSecond: 30.3 } },
        { model: 'centernet-512 person only', provider: 'cpu', threads: 2, batch1: { p50Ms: 28.75, p99Ms: 46.7, perSecond: 34.8 }, best: { batch: 1, msPerInference: 28.75, perSecond: 34.8 } },
        { model: 'face-embed 112', provider: 'cpu', threads: 2, batch1: { p50Ms: 6.33, p99Ms: 8.11, perSecond: 158 }, best: { batch: 1, msPerInference: 6.33, perSecond: 158 } },
      ],
      stages: [{ name: 'watchlist search, 100,000 entries, 1 query, top 5', p50Ms: 6.75, p99Ms: 10.11 }],
    },
    decode: {
      measureSeconds: 20,
      rows: [
        { resolution: '720p', mode: 'full decode', coreSecondsPerCamera: 0.044, deliveredFps: 5 },
        { resolution: '720p', mode: 'keyframes only', coreSecondsPerCamera: 0.009, deliveredFps: 0.5 },
        { resolution: '1080p', mode: 'full decode', coreSecondsPerCamera: 0.082, deliveredFps: 5 },
        { resolution: '1080p', mode: 'keyframes only', coreSecondsPerCamera: 0.015, deliveredFps: 0.5 },
      ],
      capacity720p: { sustained: 40, steps: 7 },
    },
    endToEnd: {
      measureSeconds: 40,
      everyFrame: {
        sustained: 4,
        at: atLimit(),
        steps: [
          { cameras: 2, staticCameras: 0, minFps: 5, latencyP50Ms: 60, latencyP99Ms: 120, cpuCores: 0.74, rssMiB: 650, skipRatio: 0, sustained: true },
          atLimit(),
          { cameras: 5, staticCameras: 0, minFps: 4.22, latencyP50Ms: 300, latencyP99Ms: 495, cpuCores: 1.74, rssMiB: 720, skipRatio: 0, sustained: false },
        ],
      },
      motionGate: {
        sustained: 6,
        at: { cameras: 6, staticCameras: 3, minFps: 4.9, latencyP50Ms: 100, latencyP99Ms: 330, cpuCores: 1.27, rssMiB: 690, skipRatio: 0.48, sustained: true },
        steps: [{ cameras: 6, staticCameras: 3, minFps: 4.9, latencyP50Ms: 100, latencyP99Ms: 330, cpuCores: 1.27, rssMiB: 690, skipRatio: 0.48, sustained: true, batchSizes: { 1: 400, 2: 20, 3: 2 } }],
      },
      layout: { workers: 2, threadsPerWorker: 1, maxBatch: 4 },
      modelOnly: {
        workers: 2,
        threadsPerWorker: 1,
        measureSeconds: 10,
        frame: { width: 640, height: 360 },
        rows: [modelBest(), { mode: 'prepared', batch: 2, inferencesPerSecond: 44.4, coreMsPerInference: 45, cores: 2 }, { mode: 'detect', batch: 1, inferencesPerSecond: 40.1, coreMsPerInference: 49.5, cores: 1.99 }],
        best: modelBest(),
        frameOverheadCoreMs: 8.1,
      },
      ffmpegCalibration: { seconds: 15, decodeOnlyCores: 0.03, gatewayArgsCores: 0.045, decodeShare: 0.667 },
      efficiency: { ratio: 0.42, detectionsPerSecond: 19.9, modelOnlyPerSecond: 47.8, cameras: 4, peak: { cameras: 5, detectionsPerSecond: 21.1, ratio: 0.44 } },
      gatedVsEveryFrame: 1.5,
      soak: { cameras: 8, minutes: 10, sampleSeconds: 5, samples: [[0, 500], [300, 512], [600, 505]], rssStartMiB: 500, rssEndMiB: 505, rssMaxMiB: 512, slopeMiBPerMinute: 0.5, minDetectFps: 3.9 },
      goals: { ...E2E_GOALS },
    },
    central: {
      sizes: { recordsPerRun: 200_000, batchSize: 500, drainRecords: 1_000_000, drainBatchSize: 5000 },
      backends: [
        { backend: 'sqlite', ingest: [{ gateways: 1, recordsPerSec: 63_901, p50Ms: 6.7, p99Ms: 16.7, serverCpuCores: 0.9 }, { gateways: 10, recordsPerSec: 85_307, p50Ms: 57.8, p99Ms: 78.5, serverCpuCores: 1.1 }], drain: { records: 1_000_000, seconds: 10.1, recordsPerSec: 99_000 } },
        { backend: 'postgres', ingest: [{ gateways: 1, recordsPerSec: 26_927, p50Ms: 17.1, p99Ms: 36.5, serverCpuCores: 0.7 }], drain: null },
      ],
      skipped: {},
    },
    baselines: {
      tfjsWasm: { model: 'centernet-512, original TF.js graph (80 classes)', p50Ms: 119.22, p99Ms: 133.65, perSecond: 8.39, oursPerSecond: 34.8, ratio: 4.15 },
      opencv: {
        available: true,
        python: '3.11.2',
        opencv: '4.6.0',
        numpy: '1.24.2',
        cvThreads: 2,
        fullGraph: { source: '/repo/.cache/models/converted/centernet-full-u8-x.onnx', loaded: false, ran: false, error: 'Node [TopK@ai.onnx]: Can\'t create layer of type "TopK"' },
        model: {
          source: '/repo/.cache/models/converted/centernet-heads-u8-c0-x.onnx',
          sha256: '06ac26bf97c6ef95',
          opencvFile: '/repo/.cache/models/opencv/centernet-heads-u8-c0-x-cv2.onnx',
          variant: 'heads variant, person-only class head',
          rewrites: ['batch dimension fixed to 1'],
          decode: 'numpy + cv2.dnn.NMSBoxes',
        },
        video: { path: '/repo/.cache/sim/vtest-720p-15fps-g30.mp4', sha256: 'cb4b8018c6afe838', width: 960, height: 720 },
        fps: { frames: 40, opencv: { decodeMsP50: 2.9, detectMsP50: 220, detectMsP99: 300, detectFps: 4.55 }, ours: { detectMsP50: 29.4, detectMsP99: 49, detectFps: 34 } },
        accuracy: {
          threshold: 0.3,
          tolerancePx: 4,
          scoreMargin: 0.05,
          frames: [{ frame: 0, ours: 6, opencv: 5, matched: 5, borderline: 1, maxCornerDiffPx: 0.5, maxScoreDiff: 0.02 }],
          persons: { ours: 6, opencv: 5, matched: 5, borderline: 1 },
          maxCornerDiffPx: 0.5,
          maxScoreDiff: 0.02,
          equal: true,
        },
        cameras: {
          sustained: 0,
          steps: [{ cameras: 1, minFps: 3.1, meanFps: 3.1, dropped: 12, latencyP50Ms: 500, latencyP99Ms: 700, cpuCores: 1.9, rssMiB: 243, sustained: false, errors: [] }],
        },
      },
    },
    eval: { origin: 'latest', file: 'benchmarks/results/eval-2026-11-29-fixture.json', report: fixtureEvalReport() },
    summary: { ortVsTfjsWasm: null, detectFpsVsOpenCv: null, cameras: { ours: null, opencv: null, ratio: null }, equalAccuracy: null, goalMet: null, notes: [] },
    errors: [],
  };
  report.summary = summarise(report);
  return report;
}

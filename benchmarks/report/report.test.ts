import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compareDetections } from '../baseline/accuracy';
import { parseHwaccels, parseNvidiaSmi } from '../lib/device';
import { medianMerge } from './aggregate';
import { changesToMarkdown, compareReports, metricsOf } from './compare';
import { chartsOf } from './document';
import { endToEndLines } from './end-to-end';
import { fixtureReport } from './fixture';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { createProgress } from './progress';
import type { BenchReport } from './types';

describe('combined benchmark report', () => {
  it('renders Markdown with every section and the headline ratios', () => {
    const md = renderMarkdown(fixtureReport());
    for (const heading of ['# Benchmark report: fixture, 2026-11-30', '## Summary', '## Device', '## Models', '## Decode', '## End to end', '## Central', '## Baselines']) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('| Cameras sustained at 5 fps, every frame detected (gateway) | 4 |');
    expect(md).toContain('| Sustained cameras, gateway vs OpenCV | 4 vs 0 |');
    expect(md).toContain('7.47x'); // 34 / 4.55 detector frames/s
    expect(md).toContain('**does not run**');
    expect(md).toContain('| centernet-512 person only | cpu | 2 | 28.75 | 46.7 | 34.8 | 1 | 28.75 | 34.8 |');
    expect(md).toContain('| sqlite | 1 | 63,901 |');
    expect(md).toContain('NVIDIA Test <GPU> (16 GiB, driver 550.1)');
    expect(md).not.toContain('Copyright');
  });

  it('shows the latest accuracy evaluation with its date, commit and targets', () => {
    const md = renderMarkdown(fixtureReport());
    expect(md).toContain('| Accuracy targets met on vtest.avi (npm run eval, 2026-11-29, commit `def5678`) | 4 of 5 |');
    expect(md).toContain('## Accuracy (npm run eval)');
    expect(md).toContain('Not run by this benchmark: the latest evaluation, `benchmarks/results/eval-2026-11-29-fixture.json`');
    expect(md).toContain('Measured 2026-11-29 09:00 UTC on fixture');
    expect(md).toContain('commit `def5678`');
    expect(md).toContain('| <= 1.2 tracks per labelled person | 1.5 tracks per person (2 people) | **missed** | 0.3 over |');
    expect(md).toContain('| line entrance: out true / found | 0 / 0 | 0 / 0 | 0 / 0 |');
    expect(md).toContain('| zone staff-only: incidents true / raised (cool-down 30 s) | 1 / 1 | 0 / 0 | 1 / 1 |');
    const html = renderHtml(fixtureReport());
    expect(html).toContain('<h2>Accuracy (npm run eval)</h2>');
    expect(html).toContain('<strong>missed</strong>');
    // A run by the bench says so; no eval at all leaves the section out.
    expect(renderMarkdown({ ...fixtureReport(), eval: { ...fixtureReport().eval!, origin: 'run' } })).toContain('Run by this benchmark');
    expect(renderMarkdown({ ...fixtureReport(), eval: undefined })).not.toContain('npm run eval');
  });

  it('renders a self-contained HTML report with one inline <svg> per chart', () => {
    const report = fixtureReport();
    const html = renderHtml(report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Nothing fetched from anywhere: no src/href to a URL, no script, stylesheet link or import.
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    const charts = chartsOf(report);
    expect(charts.map((c) => c.id)).toEqual(['cameras', 'detector-fps', 'frame-cost', 'models', 'decode', 'central']);
    expect(html.match(/<svg\b/g)).toHaveLength(charts.length);
    for (const c of charts) expect(html).toContain(`<figure id="chart-${c.id}">`);
    // Bars carry their values; text is escaped.
    expect(html).toMatch(/<rect [^>]*fill="#2f6fdf"><title>gateway, every frame detected: 4 cameras<\/title>/);
    expect(html).toContain('NVIDIA Test &lt;GPU&gt;');
    expect(html).toContain('<strong>met</strong>');
    expect(html).toMatch(/<rect [^>]*><title>ORT run \(worker thread CPU\): 44 core-ms<\/title>/);
    expect(html).toMatch(/<title>the model alone, batch 1 \(per inference\): 41\.4 core-ms<\/title>/);
  });

  it('leaves out what was not run, without breaking', () => {
    const r = fixtureReport();
    const partial: BenchReport = { ...r, decode: undefined, endToEnd: undefined, central: undefined, eval: undefined, baselines: {}, summary: { ...r.summary, cameras: { ours: null, opencv: null, ratio: null }, detectFpsVsOpenCv: null, ortVsTfjsWasm: null, equalAccuracy: null, goalMet: null, notes: [] } };
    const html = renderHtml(partial);
    expect(html.match(/<svg\b/g)).toHaveLength(1);
    expect(renderMarkdown(partial)).toContain('No headline figure');
  });
});

describe('end-to-end figures of issue 14', () => {
  it('shows the layout, the goals with how far each is missed, and the ramp with detections/s', () => {
    const md = renderMarkdown(fixtureReport());
    expect(md).toContain('Inference pool as the gateway chose it here: **2 workers x 1 ORT thread**, batches of up to 4 frames.');
    expect(md).toContain('| Pipeline efficiency: detections/s at the most cameras sustained (every frame) / the model alone, best batch, same layout, same run | 0.42 (19.9 / 47.8 at 4 cameras); flat out 0.44 (21.1/s at 5 cameras, not sustained) | >= 0.85 | **missed** by 0.43 |');
    expect(md).toContain('| RSS at 8 cameras, every frame detected (soak, max) | 512 MiB | <= 500 MiB | **missed** by 12 MiB |');
    expect(md).toContain('| RSS slope over the soak (10 min, least squares) | 0.5 MiB/min | within ±1 MiB/min | **met** |');
    expect(md).toContain('| Motion gate with half the scenes static vs every frame detected (sustained cameras) | 1.5x (6 vs 4) | >= 1.8x | **missed** by 0.3x |');
    // No motion-gated step sustained is a ratio of 0, not a figure left out.
    const none = fixtureReport();
    none.endToEnd!.gatedVsEveryFrame = 0;
    none.endToEnd!.motionGate.sustained = 0;
    expect(renderMarkdown(none)).toContain('| 0x (0 vs 4) | >= 1.8x | **missed** by 1.8x |');
    expect(md).toContain('| Pipeline efficiency: end-to-end detections/s at the limit / the model alone (goal >= 0.85) | 0.42 |');
    expect(md).toContain('| 4 | 0 | 4.97 | 19.9 | 150 | 409 | 1.58 (1.4 + ffmpeg 0.18) | 700 | 710 | 0% | sustained |');
  });

  it('breaks the CPU of a detected frame at the limit down by stage, with the model alone beside it', () => {
    const md = renderMarkdown(fixtureReport());
    expect(md).toContain("### Where a detected frame's CPU goes: 4 cameras, every frame detected");
    expect(md).toContain('| ffmpeg: RTSP receive + H.264 decode | 6 | 9% |');
    expect(md).toContain('| ORT run (worker thread CPU) | 44 | 63% |');
    expect(md).toContain('| other: GC, libuv, message receive, spinning (CPU not in a stage) | 12 | 17% |');
    expect(md).toContain('| **total** (process + ffmpeg CPU / detected frames) | **70** | 100% |');
    expect(md).toContain('decode share 0.667');
    expect(md).toContain('| main thread: motion, transfer, tracking, rules, store | 4.2 | 3.4 | 0.8 |');
    expect(md).toContain('| inference workers, ORT and libuv threads: prepare, inference, outputs | 56.8 | 45.6 | 11.2 |');
    expect(md).toContain('| prepared | 1 | 47.8 | 41.4 | 1.98 |');
    expect(md).toContain('| detect | 1 | 40.1 | 49.5 | 1.99 |');
    expect(md).toContain('A camera frame costs **8.1 core-ms** more than a prepared input.');
    // Without the ffmpeg calibration the split is not invented: ffmpeg stays whole.
    const r = fixtureReport();
    const costs = r.endToEnd!.everyFrame.at!.costs!;
    r.endToEnd!.everyFrame.at!.costs = { ...costs, decodeShare: null, perFrameMs: { ...costs.perFrameMs, ffmpegDecode: null, ffmpegConvert: null } };
    expect(renderMarkdown(r)).toContain('| ffmpeg (not split: no calibration) | 9 | 13% |');
    expect(endToEndLines(r.endToEnd!)).toContain('core-ms per detected frame at 4 cameras: total 70; ffmpeg 9, motion 0.5, transfer 0.1, prepare 0.4, inference 44, outputs 1.2, tracking 2.5, store 0.3, other 12');
  });

  it('tabulates the batch sizes per camera count and the memory soak', () => {
    const md = renderMarkdown(fixtureReport());
    expect(md).toContain('| cameras | motion gate | runs of 1 | runs of 2 | runs of 3 | frames per run |');
    expect(md).toContain('| 4 | off | 700 | 50 | 0 | 1.07 |');
    expect(md).toContain('| 6 | on | 400 | 20 | 2 | 1.06 |');
    expect(md).toContain('start 500 MiB, end 505 MiB, **max 512 MiB**; least-squares slope **0.5 MiB/min**');
  });

  it('prints the efficiency, the breakdown at the limit, RSS and its slope', () => {
    expect(endToEndLines(fixtureReport().endToEnd!)).toEqual([
      'inference pool: 2 worker(s) x 1 ORT thread(s), batches up to 4',
      'model alone at that layout: best 47.8 inf/s (batch 1, 41.4 core-ms/inf)',
      'pipeline efficiency: 0.42 (19.9 detections/s at 4 cameras / 47.8 inf/s model alone; goal >= 0.85); flat out 0.44 (21.1/s at 5 cameras, not sustained)',
      'motion gate (half static) vs every frame: 1.5x sustained cameras (goal >= 1.8x)',
      'core-ms per detected frame at 4 cameras: total 70; ffmpegDecode 6, ffmpegConvert 3, motion 0.5, transfer 0.1, prepare 0.4, inference 44, outputs 1.2, tracking 2.5, store 0.3, other 12',
      '  by thread: main 4.2 (0.8 not in a stage), workers/ORT/libuv 56.8 (11.2 not in a stage), ffmpeg 9',
      'memory soak, 8 cameras, 10 min: RSS 500 -> 505 MiB, max 512 (goal <= 500), slope 0.5 MiB/min',
    ]);
  });

  it('renders and compares reports written before these figures existed', () => {
    const old = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'results', '2026-12-01-vm.json'), 'utf8')) as BenchReport;
    expect(old.endToEnd?.efficiency).toBeUndefined();
    const md = renderMarkdown(old);
    expect(md).toContain('## End to end');
    expect(md).toContain('| cameras | static | min handled fps | latency p50 ms | latency p99 ms | CPU cores | RSS MiB | skipped | result |');
    expect(md).not.toContain('Goals (issue 14)');
    expect(md).not.toContain('Pipeline efficiency');
    expect(endToEndLines(old.endToEnd!)).toEqual([]);
    const changes = compareReports(old, fixtureReport());
    expect(changes.find((c) => c.key === 'end to end: pipeline efficiency (vs the model alone)')).toMatchObject({ a: null, b: 0.42, status: 'added' });
    const better = fixtureReport();
    better.endToEnd!.efficiency!.ratio = 0.9;
    better.endToEnd!.soak!.rssMaxMiB = 450;
    const byKey = new Map(compareReports(fixtureReport(), better).map((c) => [c.key, c.status]));
    expect(byKey.get('end to end: pipeline efficiency (vs the model alone)')).toBe('improvement');
    expect(byKey.get('end to end: soak RSS max')).toBe('improvement');
  });
});

describe('compare mode', () => {
  const slower = (factor: number): BenchReport => {
    const b = fixtureReport();
    const row = b.models!.rows[1]!;
    row.batch1.p50Ms = Math.round(row.batch1.p50Ms * factor * 100) / 100;
    return b;
  };
  const key = 'models: centernet-512 person only [cpu, 2 thr] batch-1 p50';

  it('flags a 20% slowdown as a regression', () => {
    const c = compareReports(fixtureReport(), slower(1.2)).find((x) => x.key === key)!;
    expect(c.status).toBe('regression');
    expect(c.changePct).toBeCloseTo(20, 0);
  });

  it('ignores a 1% change', () => {
    const changes = compareReports(fixtureReport(), slower(1.01));
    expect(changes.find((x) => x.key === key)!.status).toBe('same');
    expect(changes.filter((x) => x.status !== 'same')).toEqual([]);
  });

  it('knows the direction: fewer frames/s or cameras is worse, fewer ms is better', () => {
    const b = fixtureReport();
    b.baselines.opencv!.fps!.ours.detectFps = 27; // -20%
    b.endToEnd!.everyFrame.sustained = 5; // +25%
    b.models!.rows[0]!.batch1.p50Ms = 26; // -21%
    const byKey = new Map(compareReports(fixtureReport(), b).map((c) => [c.key, c.status]));
    expect(byKey.get('detector on the same frames: ours')).toBe('regression');
    expect(byKey.get('end to end (every frame): cameras sustained')).toBe('improvement');
    expect(byKey.get('models: centernet-512 person only [cpu, 1 thr] batch-1 p50')).toBe('improvement');
  });

  it('reports figures only one side has, and writes a Markdown table', () => {
    const b = fixtureReport();
    b.central!.backends.pop();
    const changes = compareReports(fixtureReport(), b, { thresholdPct: 5 });
    expect(changes.find((c) => c.key === 'central postgres, 1 gateways: ingest')?.status).toBe('removed');
    const md = changesToMarkdown(compareReports(fixtureReport(), slower(1.2)), { name: 'a.json', report: fixtureReport() }, { name: 'b.json', report: slower(1.2) }, 5);
    expect(md).toContain('**1 regression(s)**');
    expect(md).toMatch(/\| models: centernet-512 person only \[cpu, 2 thr\] batch-1 p50 \| ms \| lower \| 28\.75 \| 34\.5 \| \+20\.0% \| REGRESSION \|/);
    expect(metricsOf(fixtureReport()).every((m) => Number.isFinite(m.value))).toBe(true);
    const worse = fixtureReport();
    worse.eval!.report.figures.overall.tracking.tracksPerPerson = 2;
    expect(compareReports(fixtureReport(), worse).find((c) => c.key === 'accuracy: tracks per person')).toMatchObject({ a: 1.5, b: 2, status: 'regression' });
  });
});

describe('pieces', () => {
  it('takes medians across runs, structure by structure', () => {
    const runs = [
      { ms: 30, ok: true, name: 'a', steps: [1, 2] },
      { ms: 10, ok: false, name: 'b', steps: [5, 6] },
      { ms: 20, ok: true, name: 'c', steps: [3] },
    ];
    expect(medianMerge(runs)).toEqual({ ms: 20, ok: true, name: 'a', steps: [1, 2] });
    expect(medianMerge([{ v: [1, 9] }, { v: [3, 7] }, { v: [2, 8] }])).toEqual({ v: [2, 8] });
  });

  it('parses nvidia-smi and ffmpeg -hwaccels output', () => {
    expect(parseNvidiaSmi('NVIDIA H200, 143771, 550.54.15\nNVIDIA L4, 23034, 550.54.15\n')).toEqual([
      { name: 'NVIDIA H200', memoryMiB: 143771, driver: '550.54.15' },
      { name: 'NVIDIA L4', memoryMiB: 23034, driver: '550.54.15' },
    ]);
    expect(parseHwaccels('Hardware acceleration methods:\nvdpau\ncuda\nvaapi\n\n')).toEqual(['vdpau', 'cuda', 'vaapi']);
  });

  it('matches detections of the two pipelines, tolerating borderline scores', () => {
    const ours = [
      { box: [10, 10, 50, 110] as [number, number, number, number], score: 0.8 },
      { box: [200, 10, 240, 110] as [number, number, number, number], score: 0.31 },
    ];
    const same = compareDetections(0, ours, [{ box: [11, 9, 50.5, 112], score: 0.79 }]);
    expect(same).toMatchObject({ matched: 1, borderline: 1, maxCornerDiffPx: 2, withinTolerance: true });
    expect(compareDetections(0, ours, [{ box: [16, 10, 50, 110], score: 0.8 }]).withinTolerance).toBe(false);
    expect(compareDetections(0, [{ ...ours[0]!, score: 0.5 }], []).withinTolerance).toBe(false);
  });

  it('prints one line per step without a terminal', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let text = '';
    (stream as unknown as PassThrough).on('data', (d: Buffer) => (text += d.toString()));
    let t = 0;
    const p = createProgress({ plan: [{ section: 'models', seconds: 10 }, { section: 'central', seconds: 30 }], stream, tty: false, now: () => t });
    p.begin('models', 'models');
    p.step('centernet, 1 thread');
    t = 10_000;
    p.end('models', true);
    p.begin('central', 'central');
    p.end('central', false, 'no server');
    p.finish();
    const lines = text.trim().split('\n');
    expect(lines).toEqual([
      '[  0%] 1/2 models: start',
      '[  0%] 1/2 models: centernet, 1 thread',
      '[ 25%] 1/2 models: done in 0:10',
      '[ 25%] 2/2 central: start',
      '[100%] 2/2 central: FAILED: no server in 0:00',
      '[100%] all done in 0:10',
    ]);
  });
});

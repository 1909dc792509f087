/**
 * `npm run eval`: runs the real pipeline over the video of a hand-made ground truth and scores it
 * (detection, counting, tracking, zones, line crossings; whole video, dev and holdout), prints a
 * compact table and writes benchmarks/results/eval-<date>-<machine>.json and .md.
 *
 *   --gt FILE        ground truth (default benchmarks/groundtruth/vtest.json)
 *   --out DIR        where to write (default benchmarks/results)
 *   --threads N      models.threadsPerWorker (default: the configuration's, all cores)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { setModelsLogger } from '../../models/runtime/log';
import { setStreamsLogger } from '../../streams/log';
import { MEDIA, ensureMedia, type MediaName } from '../../streams/media/debian-media';
import { blocksToMarkdown } from '../report/markdown';
import { deviceInfo } from '../lib/device';
import { fileSha256, isMain, runBenchmark, type StepLog } from '../lib/results';
import { consoleTable, evalDocument, figureRows, targetRows } from './document';
import { DEFAULT_GROUND_TRUTH, loadGroundTruth, splitVisits, type GroundTruth } from './groundtruth';
import { RESULTS_DIR, writeEvalReport, type EvalReport } from './result';
import { evalZonesOf, runProduct, type ProductRun } from './run-pipeline';
import { scoreAll } from './score';
import { judgeTargets } from './targets';

export interface EvalOptions {
  groundTruth?: string;
  out?: string;
  threadsPerWorker?: number;
  /** Hand the pipeline only this many frames (tests); labelled frames past them must not exist. */
  maxFrames?: number;
  log?: StepLog;
  /** Write the result files (default true). */
  write?: boolean;
}

/** The cached video a ground truth names, checked against the SHA-256 it records. */
export function videoOf(gt: GroundTruth): string {
  const name = gt.video.name;
  if (!(name in MEDIA)) throw new Error(`ground truth video.name: ${name} is not a cached medium (${Object.keys(MEDIA).join(', ')})`);
  const path = ensureMedia([name as MediaName])[name as MediaName];
  const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (!sha.startsWith(gt.video.sha256)) throw new Error(`ground truth video.sha256: ${gt.video.sha256} does not match ${path} (${sha})`);
  return path;
}

/** Uncommitted changes to tracked files, results files aside (an earlier eval's output changes nothing that runs). */
function gitDirty(): boolean {
  try {
    return execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)benchmarks/results'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().length > 0;
  } catch {
    return false;
  }
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

/** Line zones' crossings summed over the per-minute statistics. */
function minuteCrossings(run: ProductRun): Record<string, { in: number; out: number }> {
  const out: Record<string, { in: number; out: number }> = {};
  for (const z of run.settings.zones) {
    if (z.type !== 'line') continue;
    const rows = run.minutes.filter((m) => m.zoneId === z.id);
    out[z.id] = { in: rows.reduce((a, m) => a + (m.crossingsIn ?? 0), 0), out: rows.reduce((a, m) => a + (m.crossingsOut ?? 0), 0) };
  }
  return out;
}

export async function runEval(options: EvalOptions = {}): Promise<{ report: EvalReport; files?: { json: string; markdown: string } }> {
  const log = options.log ?? (() => undefined);
  const gtPath = options.groundTruth ?? DEFAULT_GROUND_TRUTH;
  const gt = loadGroundTruth(gtPath);
  const video = videoOf(gt);
  log(`running the pipeline over ${gt.video.name} (${gt.video.frames} frames)`);
  const run = await runProduct({
    video,
    width: gt.video.width,
    height: gt.video.height,
    fps: gt.video.fps,
    ...(options.threadsPerWorker === undefined ? {} : { threadsPerWorker: options.threadsPerWorker }),
    ...(options.maxFrames === undefined ? {} : { maxFrames: options.maxFrames }),
  });
  log(`scoring ${gt.frames.length} labelled frames`);
  const zones = evalZonesOf(run.settings.zones);
  const figures = scoreAll(gt, run.log, zones, run.settings.personThreshold);
  const device = deviceInfo();
  const notes: string[] = [];
  if (zones.lines.length === 0) notes.push('No line zone in the demo zones: line crossings not scored.');
  const mc = minuteCrossings(run);
  for (const l of figures.overall.lines) {
    const m = mc[l.zoneId];
    if (m && (m.in !== l.foundIn || m.out !== l.foundOut)) notes.push(`Line ${l.zoneId}: the live counters (${l.foundIn} in / ${l.foundOut} out) and the per-minute statistics (${m.in} / ${m.out}) differ (the last minute is written when the pipeline stops; crossings counted as tracks end at stop are in the minutes only).`);
  }
  const report: EvalReport = {
    schema: 1,
    kind: 'eval',
    date: new Date().toISOString(),
    commit: device.gitCommit,
    dirty: gitDirty(),
    machine: { host: device.host, cpuModel: device.cpuModel, cores: device.cores, provider: run.settings.provider },
    groundTruth: {
      file: relative(process.cwd(), gtPath) || gtPath,
      sha256: fileSha256(gtPath),
      video: gt.video.name,
      videoSha256: gt.video.sha256,
      labelledEvery: gt.labelledEvery,
      labelledFrames: gt.frames.length,
      identities: new Set(gt.frames.flatMap((f) => f.people.map((p) => p.id))).size,
      visits: new Set(splitVisits(gt).frames.flatMap((f) => f.people.map((p) => p.id))).size,
      split: gt.split,
      method: gt.method,
    },
    settings: run.settings,
    run: {
      framesDelivered: run.framesDelivered,
      detectedFrames: run.detectedFrames,
      observedFrames: run.log.frames.length,
      wallSeconds: run.wallSeconds,
      sinkCalls: run.sinkCalls,
      eventsByType: countBy(run.log.events, (e) => e.type),
      minuteCrossings: mc,
    },
    figures,
    targets: { overall: judgeTargets(figures.overall), dev: judgeTargets(figures.dev), holdout: judgeTargets(figures.holdout) },
    notes,
  };
  if (options.write === false) return { report };
  const files = writeEvalReport(report, blocksToMarkdown(evalDocument(report)), options.out ?? RESULTS_DIR);
  return { report, files };
}

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  process.env.LOG_LEVEL ??= 'error';
  setModelsLogger(pino({ name: 'models', level: process.env.LOG_LEVEL }));
  setStreamsLogger(pino({ name: 'streams', level: process.env.LOG_LEVEL }));
  const raw = flag(argv, 'threads');
  const parsed = raw === undefined ? undefined : z.coerce.number().int().min(0).max(64).safeParse(raw);
  if (parsed && !parsed.success) throw new Error(`--threads: expected an integer 0..64, got ${raw}`);
  const threads = parsed?.data;
  const { report, files } = await runEval({
    ...(flag(argv, 'gt') ? { groundTruth: flag(argv, 'gt')! } : {}),
    ...(flag(argv, 'out') ? { out: flag(argv, 'out')! } : {}),
    ...(threads !== undefined ? { threadsPerWorker: threads } : {}),
    log: (line) => console.error(line),
  });
  console.log(`\naccuracy on ${report.groundTruth.video}, commit ${report.commit}${report.dirty ? ' (dirty)' : ''}, ${report.run.wallSeconds} s\n`);
  console.log(consoleTable(targetRows(report.targets), ['target', 'figure (whole video)', 'whole video', 'missed by', 'holdout']));
  console.log('');
  console.log(consoleTable(figureRows(report.figures), ['figure', 'whole video', 'dev', 'holdout']));
  for (const n of report.notes) console.log(`note: ${n}`);
  if (files) for (const f of Object.values(files)) console.log(`wrote ${relative(process.cwd(), f)}`);
}

if (isMain(import.meta.url)) runBenchmark(main);

/**
 * What `npm run eval` writes: benchmarks/results/eval-<YYYY-MM-DD>-<machine>.json (and .md), and
 * how `npm run bench` finds the latest one.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SplitName } from './groundtruth';
import type { ProductRun } from './run-pipeline';
import type { SplitFigures } from './score';
import type { TargetResult } from './targets';

export interface EvalReport {
  schema: 1;
  kind: 'eval';
  date: string;
  commit: string;
  /** Uncommitted changes in the working tree when it ran. */
  dirty: boolean;
  machine: { host: string; cpuModel: string; cores: number; provider: string };
  groundTruth: {
    file: string;
    /** First 16 hex digits of the file's SHA-256. */
    sha256: string;
    video: string;
    videoSha256: string;
    labelledEvery: number;
    labelledFrames: number;
    identities: number;
    /** Identities split at absences of 3 s or more (splitVisits): the people scored. */
    visits: number;
    split: { dev: { fromFrame: number; toFrame: number }; holdout: { fromFrame: number; toFrame: number } };
    method: string;
  };
  settings: ProductRun['settings'];
  run: {
    framesDelivered: number;
    detectedFrames: number;
    observedFrames: number;
    wallSeconds: number;
    sinkCalls: ProductRun['sinkCalls'];
    /** Events started, by type. */
    eventsByType: Record<string, number>;
    /** Line zones: crossings summed over the per-minute statistics (a cross-check of the live counters). */
    minuteCrossings: Record<string, { in: number; out: number }>;
  };
  figures: Record<SplitName, SplitFigures>;
  /** The targets, judged on each split's figures; `overall` is the headline. */
  targets: Record<SplitName, TargetResult[]>;
  notes: string[];
}

export const RESULTS_DIR = join(import.meta.dirname, '..', 'results');

export function evalFileBase(report: Pick<EvalReport, 'date' | 'machine'>, dir = RESULTS_DIR): string {
  return join(dir, `eval-${report.date.slice(0, 10)}-${report.machine.host}`);
}

/** Writes <base>.json and <base>.md; returns their paths. */
export function writeEvalReport(report: EvalReport, markdown: string, dir = RESULTS_DIR): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const base = evalFileBase(report, dir);
  const files = { json: `${base}.json`, markdown: `${base}.md` };
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.markdown, markdown);
  return files;
}

/** What a file must hold to be shown as an eval result (the rest is written by this module's writer). */
const EvalFileSchema = z.looseObject({
  schema: z.literal(1),
  kind: z.literal('eval'),
  date: z.iso.datetime(),
  commit: z.string(),
  groundTruth: z.looseObject({ video: z.string() }),
  figures: z.looseObject({ overall: z.looseObject({}), dev: z.looseObject({}), holdout: z.looseObject({}) }),
  targets: z.looseObject({ overall: z.array(z.looseObject({ id: z.string(), met: z.boolean().nullable() })) }),
});

/** The newest valid eval-*.json in `dir` by its recorded date, with its path; undefined when there is none. */
export function latestEvalReport(dir = RESULTS_DIR): { file: string; report: EvalReport } | undefined {
  if (!existsSync(dir)) return undefined;
  let best: { file: string; report: EvalReport } | undefined;
  for (const name of readdirSync(dir)) {
    if (!/^eval-.*\.json$/.test(name)) continue;
    const file = join(dir, name);
    try {
      const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!EvalFileSchema.safeParse(raw).success) continue;
      const report = raw as EvalReport;
      if (!best || report.date > best.report.date) best = { file, report };
    } catch {
      continue;
    }
  }
  return best;
}

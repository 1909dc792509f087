import { z } from 'zod';
import type { CentralLogger } from './http/context';
import { purgeInBatches, startPeriodic, type PeriodicJob } from './periodic';
import { FACE_CROP_STEPS, PERF_RETENTION_MS, RETENTION_STEPS, type RetentionStep, type Store } from './store';

const DAY_MS = 86_400_000;

export const RetentionOptionsSchema = z
  .object({
    /** Events (with their pending updates), queue stats (and their quarter-hour rollup) and raw records older than this are deleted. */
    days: z.number().int().min(1).max(36_500),
    /** Face crops are stripped from events, pending updates and raw records older than this. */
    faceCropDays: z.number().int().min(0).max(36_500),
    /** Pause between runs (default 1 h); the first run starts with the server. */
    intervalMs: z.number().int().min(1000).max(2 ** 31 - 1).default(3_600_000),
    /** Rows per transaction (default 5,000): ingest waits at most one batch. */
    batchRows: z.number().int().min(1).max(100_000).default(5000),
  })
  .strict();
export type RetentionOptions = z.input<typeof RetentionOptionsSchema>;
type RetentionPolicy = z.output<typeof RetentionOptionsSchema>;

export interface RetentionReport {
  /** Rows older than this were deleted. */
  cutoff: number;
  /** Face crops older than this were stripped. */
  faceCropCutoff: number;
  /** Rows deleted (or, for the face-crop steps, stripped of their crop) per step. */
  removed: Record<RetentionStep, number>;
  /** Throughput trend slots deleted: kept PERF_RETENTION_MS (7 days) whatever `days` says. */
  perfSlots: number;
  batches: number;
  ms: number;
  /** Stopped (server closing) before it finished; the next run goes on. */
  interrupted: boolean;
}

/** One pass over every step, batch by batch, yielding to requests between batches. */
export async function runRetention(store: Store, options: RetentionOptions, now: number, stopping: () => boolean = () => false): Promise<RetentionReport> {
  const policy = RetentionOptionsSchema.parse(options);
  const started = performance.now();
  const cutoff = now - policy.days * DAY_MS;
  const faceCropCutoff = now - policy.faceCropDays * DAY_MS;
  const removed = Object.fromEntries(RETENTION_STEPS.map((s) => [s, 0])) as Record<RetentionStep, number>;
  let batches = 0;
  let perfSlots = 0;
  const report = (interrupted: boolean): RetentionReport => ({ cutoff, faceCropCutoff, removed, perfSlots, batches, ms: Math.round(performance.now() - started), interrupted });
  for (const step of RETENTION_STEPS) {
    const before = FACE_CROP_STEPS.has(step) ? faceCropCutoff : cutoff;
    const done = await purgeInBatches((limit) => store.retentionBatch(step, before, limit), policy.batchRows, stopping);
    removed[step] += done.rows;
    batches += done.batches;
    if (done.stopped) return report(true);
  }
  const perf = await purgeInBatches((limit) => store.purgePerf(now - PERF_RETENTION_MS, limit), policy.batchRows, stopping);
  perfSlots += perf.rows;
  batches += perf.batches;
  return report(perf.stopped);
}

/** runNow() runs once more (after the run in progress, if any) and answers its report; stop() waits for the batch in progress. */
export type RetentionJob = PeriodicJob<RetentionReport>;

function logReport(log: CentralLogger, policy: RetentionPolicy, r: RetentionReport): void {
  const removed = Object.fromEntries(Object.entries({ ...r.removed, perfSlots: r.perfSlots }).filter(([, n]) => n > 0));
  const total = Object.values(r.removed).reduce((a, b) => a + b, r.perfSlots);
  const fields = { days: policy.days, faceCropDays: policy.faceCropDays, cutoff: r.cutoff, faceCropCutoff: r.faceCropCutoff, removed, batches: r.batches, ms: r.ms };
  if (r.interrupted) log.warn(fields, 'retention interrupted by shutdown');
  else log.info(fields, total > 0 ? 'retention removed old data' : 'retention found nothing to remove');
}

/**
 * Runs retention now and then every intervalMs after the previous run ended (runs never overlap in
 * one process; several instances on one PostgreSQL may run at once, which is harmless).
 */
export function startRetention(store: Store, options: RetentionOptions, now: () => number, log: CentralLogger): RetentionJob {
  const policy = RetentionOptionsSchema.parse(options);
  return startPeriodic(
    async (stopped) => {
      const report = await runRetention(store, policy, now(), stopped);
      logReport(log, policy, report);
      return report;
    },
    policy.intervalMs,
    (err) => log.error({ err }, 'retention run failed; retrying at the next interval'),
  );
}

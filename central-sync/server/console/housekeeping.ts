import { z } from 'zod';
import type { CentralLogger } from '../http/context';
import { purgeAudit } from '../store/audit-sql';
import { purgeConsoleSessions, purgeLoginAttempts } from '../store/console-sql';
import type { SqlRunner } from '../store/sql-runner';
import { purgeInBatches, startPeriodic, type PeriodicJob } from '../periodic';

const DAY_MS = 86_400_000;

export const HousekeepingOptionsSchema = z
  .object({
    /**
     * audit_log rows older than this are deleted. Audit rows name people and what they looked at
     * (Decree 13/2023: personal data kept no longer than needed), yet must outlive the data they
     * audit long enough to investigate: default 365 days.
     */
    auditDays: z.number().int().min(1).max(36_500).default(365),
    /** Login attempts older than the throttle's window count for nothing. */
    throttleWindowMs: z.number().int().min(1000),
    /** Pause between runs (default 1 h); the first run starts with the server. */
    intervalMs: z.number().int().min(1000).max(2 ** 31 - 1).default(3_600_000),
    /** Rows per statement (default 5,000). */
    batchRows: z.number().int().min(1).max(100_000).default(5000),
  })
  .strict();
export type HousekeepingOptions = z.input<typeof HousekeepingOptionsSchema>;

export interface HousekeepingReport {
  sessions: number;
  attempts: number;
  audit: number;
  interrupted: boolean;
}

/**
 * One pass: expired console sessions, login attempts past the throttle window, audit rows past
 * auditDays; each in bounded batches, yielding to requests between them.
 */
export async function runHousekeeping(sql: SqlRunner, options: HousekeepingOptions, now: number, stopping: () => boolean = () => false): Promise<HousekeepingReport> {
  const o = HousekeepingOptionsSchema.parse(options);
  const report: HousekeepingReport = { sessions: 0, attempts: 0, audit: 0, interrupted: false };
  const steps: Array<[keyof Omit<HousekeepingReport, 'interrupted'>, (limit: number) => Promise<number>]> = [
    ['sessions', (limit) => purgeConsoleSessions(sql, now, limit)],
    ['attempts', (limit) => purgeLoginAttempts(sql, now - o.throttleWindowMs, limit)],
    ['audit', (limit) => purgeAudit(sql, now - o.auditDays * DAY_MS, limit)],
  ];
  for (const [key, purge] of steps) {
    const done = await purgeInBatches(purge, o.batchRows, stopping);
    report[key] += done.rows;
    if (done.stopped) return { ...report, interrupted: true };
  }
  return report;
}

export type HousekeepingJob = PeriodicJob<HousekeepingReport>;

/** Runs now and then every intervalMs after the previous run ended (several instances running at once is harmless). */
export function startHousekeeping(sql: SqlRunner, options: HousekeepingOptions, now: () => number, log: CentralLogger): HousekeepingJob {
  const o = HousekeepingOptionsSchema.parse(options);
  return startPeriodic(
    async (stopped) => {
      const r = await runHousekeeping(sql, o, now(), stopped);
      if (r.sessions + r.attempts + r.audit > 0) log.info({ ...r, auditDays: o.auditDays }, 'console housekeeping removed old rows');
      return r;
    },
    o.intervalMs,
    (err) => log.error({ err }, 'console housekeeping failed; retrying at the next interval'),
  );
}

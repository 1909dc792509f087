/**
 * One definition of a stale gateway for the fleet and throughput answers (and their pages): not
 * revoked, and no heartbeat received for more than STALE_AFTER_MS, or none ever.
 */
export const STALE_AFTER_MS = 5 * 60_000;

/** heartbeatAt: central's receive time of the latest heartbeat, null before the first. */
export function isStale(heartbeatAt: number | null, now: number): boolean {
  return heartbeatAt === null || now - heartbeatAt > STALE_AFTER_MS;
}

/** The SQL form of isStale: a heartbeat received before this time is stale (`received_at < ?`). */
export function staleBefore(now: number): number {
  return now - STALE_AFTER_MS;
}

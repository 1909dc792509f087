/** Departures older than this no longer count towards the service rate. */
const RATE_WINDOW_MS = 10 * 60_000;

export interface QueueSnapshot {
  count: number;
  /** Seconds each person now in the queue has waited, longest first. */
  waitingSeconds: number[];
  /** People leaving the queue per minute over the last 10 minutes. */
  serviceRatePerMinute: number;
  /** Estimated wait for someone joining now (s): count / service rate (Little's law); null until someone has left. */
  estimatedWaitSeconds: number | null;
}

/**
 * Queue analytics for one zone: who is in it since when, departures, and the estimated waiting time
 * for a newcomer from the measured service rate.
 */
export class QueueAnalytics {
  private readonly present = new Map<number, number>();
  private departures: Array<{ at: number; waitedMs: number }> = [];
  private observedSince: number | undefined;

  enter(trackId: number, at: number): void {
    this.observedSince ??= at;
    if (!this.present.has(trackId)) this.present.set(trackId, at);
  }

  /** Returns how long the person was in the queue (ms), if they were in it. */
  leave(trackId: number, at: number): number | undefined {
    const since = this.present.get(trackId);
    if (since === undefined) return undefined;
    this.present.delete(trackId);
    const waitedMs = at - since;
    this.departures.push({ at, waitedMs });
    return waitedMs;
  }

  snapshot(now: number): QueueSnapshot {
    this.departures = this.departures.filter((d) => d.at >= now - RATE_WINDOW_MS);
    const count = this.present.size;
    const waitingSeconds = [...this.present.values()].map((since) => Math.round((now - since) / 1000)).sort((a, b) => b - a);
    const n = this.departures.length;
    // Rate over the last 10 minutes, or over the time observed so far when that is shorter.
    const windowMs = Math.max(60_000, Math.min(RATE_WINDOW_MS, now - (this.observedSince ?? now)));
    const serviceRatePerMinute = Math.round((n / (windowMs / 60_000)) * 100) / 100;
    const estimatedWaitSeconds = n === 0 ? null : Math.round((count / serviceRatePerMinute) * 60);
    return { count, waitingSeconds, serviceRatePerMinute, estimatedWaitSeconds };
  }
}

/** Departures older than this no longer count towards the service rate. */
const RATE_WINDOW_MS = 10 * 60_000;
/** A departure not yet confirmed (the track went unseen) is confirmed after this long at the latest. */
const PENDING_LIMIT_MS = 10 * 60_000;

export interface QueueSnapshot {
  count: number;
  /** Seconds each person now in the queue has waited, longest first. */
  waitingSeconds: number[];
  /** Service departures (from the head of the queue) per minute over the last 10 minutes. */
  serviceRatePerMinute: number;
  /** How many service departures the rate and wait estimate rest on (last 10 minutes). */
  serviceDepartures: number;
  /** Estimated wait for someone joining now (s): count / service rate (Little's law); null until someone was served. */
  estimatedWaitSeconds: number | null;
}

interface Departure {
  at: number;
  /** Left from the head of the queue: served (see isHead). */
  head: boolean;
}

/**
 * Whether someone leaving a queue of `size` people (themselves included) who had waited longer than
 * `longerWaiting` of the others left from its head: among the longest-waiting third (at least the
 * longest-waiting person). Leaving from further back is giving up, or a tracking split: no service.
 */
export function isHead(longerWaiting: number, size: number): boolean {
  return longerWaiting < Math.max(1, Math.ceil(size / 3));
}

/**
 * Queue analytics for one zone: who is in it since when, departures, and the estimated waiting time
 * for a newcomer from the measured service rate. A departure of a track that went unseen is pending
 * until the track ends or is seen again outside the queue; if it comes back into the queue (the
 * tracker re-associated the person) it is no departure and its waiting clock continues.
 */
export class QueueAnalytics {
  private readonly present = new Map<number, number>();
  private readonly pending = new Map<number, { since: number; at: number; head: boolean }>();
  private departures: Departure[] = [];
  private observedSince: number | undefined;

  enter(trackId: number, at: number): void {
    this.observedSince ??= at;
    const back = this.pending.get(trackId);
    this.pending.delete(trackId);
    if (!this.present.has(trackId)) this.present.set(trackId, back?.since ?? at);
  }

  /**
   * The person left the queue at `at`; `pending` when the track went unseen rather than walking
   * away. Returns whether a departure counted now.
   */
  leave(trackId: number, at: number, pending = false): boolean {
    const since = this.present.get(trackId);
    if (since === undefined) return false;
    let longerWaiting = 0;
    for (const s of this.present.values()) if (s < since) longerWaiting++;
    const head = isHead(longerWaiting, this.present.size);
    this.present.delete(trackId);
    if (pending) {
      this.pending.set(trackId, { since, at, head });
      return false;
    }
    this.departures.push({ at, head });
    return true;
  }

  /**
   * Settles pending departures: those whose track ended or was seen outside the queue (`gone`) count.
   * Returns how many counted.
   */
  settle(gone: (trackId: number) => boolean, now: number): number {
    let counted = 0;
    for (const [id, p] of this.pending) {
      if (!gone(id) && now - p.at < PENDING_LIMIT_MS) continue;
      this.pending.delete(id);
      this.departures.push({ at: p.at, head: p.head });
      counted++;
    }
    return counted;
  }

  snapshot(now: number): QueueSnapshot {
    this.departures = this.departures.filter((d) => d.at >= now - RATE_WINDOW_MS);
    const count = this.present.size;
    const waitingSeconds = [...this.present.values()].map((since) => Math.round((now - since) / 1000)).sort((a, b) => b - a);
    const served = this.departures.filter((d) => d.head).length;
    // Rate over the last 10 minutes, or over the time observed so far when that is shorter.
    const windowMs = Math.max(60_000, Math.min(RATE_WINDOW_MS, now - (this.observedSince ?? now)));
    const serviceRatePerMinute = Math.round((served / (windowMs / 60_000)) * 100) / 100;
    const estimatedWaitSeconds = served === 0 ? null : Math.round((count / serviceRatePerMinute) * 60);
    return { count, waitingSeconds, serviceRatePerMinute, serviceDepartures: served, estimatedWaitSeconds };
  }
}

export interface BackoffOptions {
  /** First ceiling; doubles per failure. */
  baseMs?: number;
  capMs?: number;
  /** Floor of every delay, so a fast-failing server is never hammered in a tight loop. */
  minMs?: number;
  random?: () => number;
}

/** Exponential backoff with full jitter: each delay is uniform in [minMs, min(cap, base * 2^n)]. */
export class FullJitterBackoff {
  private failures = 0;
  readonly baseMs: number;
  readonly capMs: number;
  private readonly minMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 1000;
    this.capMs = options.capMs ?? 60_000;
    this.minMs = Math.min(options.minMs ?? Math.min(100, this.baseMs), this.capMs);
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.max(this.minMs, Math.floor(this.random() * ceiling));
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}

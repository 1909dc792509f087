/** Exponential backoff with jitter: initial, doubling, capped; `reset` after a good run. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly jitter: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call doubles the base up to the cap. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(withJitter(base, this.jitter, this.random));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

export function withJitter(ms: number, jitter: number, random: () => number = Math.random): number {
  return ms * (1 + jitter * (2 * random() - 1));
}

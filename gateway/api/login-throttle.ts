/**
 * Login attempts per client address. An attempt is counted when it arrives, before its credentials
 * are verified, so parallel guesses cannot all pass the check together; a successful one gives its
 * count back. A client with `limit` attempts in the window is refused until the oldest leaves it.
 *
 * The table is bounded: beyond `maxTracked` addresses, expired entries go first, then the least
 * recently active ones that are not blocked. A blocked address is never forgotten before its window
 * ends, so flooding the table from many addresses unblocks no one (the table may then hold more
 * than `maxTracked` blocked addresses, each at most `limit` timestamps, for at most one window).
 */
export class LoginThrottle {
  /** Timestamps of counted attempts per address, least recently active first (Map order). */
  private readonly attempts = new Map<string, number[]>();

  constructor(
    readonly limit = 10,
    readonly windowMs = 60_000,
    private readonly maxTracked = 10_000,
  ) {}

  /** Counts an attempt made at `now`; false (and nothing counted) when the address is blocked. */
  reserve(key: string, now: number): boolean {
    const recent = this.recent(key, now);
    if (recent.length >= this.limit) return false;
    this.attempts.delete(key);
    this.attempts.set(key, [...recent, now]);
    if (this.attempts.size > this.maxTracked) this.shrink(now);
    return true;
  }

  /** Gives back the attempt reserved at `at` (it succeeded, or was not a guess at all). */
  release(key: string, at: number): void {
    const list = this.attempts.get(key);
    const i = list?.indexOf(at) ?? -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) this.attempts.delete(key);
  }

  blocked(key: string, now: number): boolean {
    return this.recent(key, now).length >= this.limit;
  }

  /** Addresses tracked now. */
  get tracked(): number {
    return this.attempts.size;
  }

  private recent(key: string, now: number): number[] {
    const recent = (this.attempts.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length === 0) this.attempts.delete(key);
    return recent;
  }

  /** Down to 90% of the bound (so this runs once per many new addresses), never dropping a blocked address. */
  private shrink(now: number): void {
    const target = Math.floor(this.maxTracked * 0.9);
    for (const [key, times] of this.attempts) {
      if (this.attempts.size <= target) return;
      const live = times.filter((t) => t > now - this.windowMs);
      if (live.length < this.limit) this.attempts.delete(key);
    }
  }
}

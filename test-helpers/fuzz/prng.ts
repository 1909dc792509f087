/**
 * A small seeded PRNG (sfc32) so a fuzz run reproduces exactly: the same seed gives the same
 * requests. The seed is fixed by default (CI runs the same cases every time); FUZZ_SEED=<number>
 * replays or explores another run, FUZZ_SEED=random picks a fresh one (printed with any finding).
 */
export const DEFAULT_FUZZ_SEED = 20_110_011;

export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED?.trim();
  if (!given) return DEFAULT_FUZZ_SEED;
  if (given === 'random') return Math.floor(Math.random() * 2 ** 32);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`FUZZ_SEED must be a whole number >= 0 or 'random' (got '${given}')`);
  return seed;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `salt` gives independent streams from one seed (one per store, per file). */
  constructor(
    readonly seed: number,
    salt = '',
  ) {
    let h = 2_166_136_261 ^ seed;
    for (const ch of salt) h = Math.imul(h ^ ch.charCodeAt(0), 16_777_619);
    this.a = seed >>> 0;
    this.b = h >>> 0;
    this.c = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    this.d = 1;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Picks by weight: [[weight, value], ...]. */
  weighted<T>(choices: ReadonlyArray<readonly [number, T]>): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [w, value] of choices) {
      roll -= w;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1]![1];
  }
}

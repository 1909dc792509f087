import { PhotoRefused } from './photo-refused';

export interface PhotoSlotLimits {
  /** Photo checks (decode and face analysis) running at once. */
  running: number;
  /** Checks waiting for a slot; one more is refused at once. */
  waiting: number;
  /** How long a check waits for a slot before it is refused. */
  waitMs: number;
}

/**
 * Bounds the enrolment photo checks in flight: each holds a decoded photo (up to MAX_PHOTO_PIXELS x 3
 * bytes) and keeps the CPU busy in face analysis, so a burst of uploads must not run them all at
 * once. Beyond `running`, a check waits its turn for at most `waitMs`; past that, or with `waiting`
 * already in line, it is refused as busy naming the photo (the API answers 503: try again shortly).
 */
export class PhotoSlots {
  private active = 0;
  private readonly line: Array<() => void> = [];

  constructor(private readonly limits: PhotoSlotLimits) {}

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.line.length;
  }

  async run<T>(field: string, work: () => Promise<T>): Promise<T> {
    await this.acquire(field);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(field: string): Promise<void> {
    if (this.active < this.limits.running) {
      this.active++;
      return Promise.resolve();
    }
    const busy = () => new PhotoRefused('busy', `${field}: too many photos are being checked at once; try again shortly`, field);
    if (this.line.length >= this.limits.waiting) return Promise.reject(busy());
    return new Promise<void>((resolve, reject) => {
      const granted = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.line.splice(this.line.indexOf(granted), 1);
        reject(busy());
      }, this.limits.waitMs);
      this.line.push(granted);
    });
  }

  /** The slot passes to the first in line, or is freed. */
  private release(): void {
    const next = this.line.shift();
    if (next) next();
    else this.active--;
  }
}

/** Shared by enrolment and its preview: two photo checks at once, eight waiting, ten seconds at most. */
export const PHOTO_CHECKS = new PhotoSlots({ running: 2, waiting: 8, waitMs: 10_000 });

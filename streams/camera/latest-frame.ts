import type { Frame } from './frame';

/**
 * A one-frame mailbox between ffmpeg and a consumer that pulls: a new frame replaces one that is
 * still waiting (counted as dropped), so memory stays flat however slow the consumer is.
 */
export class LatestFrame {
  private waiting: Frame | undefined;
  private readonly pullers: Array<(frame: Frame | null) => void> = [];
  private closed = false;
  dropped = 0;
  delivered = 0;

  put(frame: Frame): void {
    if (this.closed) return;
    const puller = this.pullers.shift();
    if (puller) {
      this.delivered++;
      puller(frame);
      return;
    }
    if (this.waiting) this.dropped++;
    this.waiting = frame;
  }

  /** The waiting frame now, or the next one; null once closed. */
  next(signal?: AbortSignal): Promise<Frame | null> {
    if (this.waiting) {
      const frame = this.waiting;
      this.waiting = undefined;
      this.delivered++;
      return Promise.resolve(frame);
    }
    if (this.closed || signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const deliver = (frame: Frame | null) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(frame);
      };
      const onAbort = () => {
        const i = this.pullers.indexOf(deliver);
        if (i >= 0) this.pullers.splice(i, 1);
        resolve(null);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pullers.push(deliver);
    });
  }

  /** The waiting frame without waiting, if any. */
  take(): Frame | undefined {
    const frame = this.waiting;
    this.waiting = undefined;
    if (frame) this.delivered++;
    return frame;
  }

  close(): void {
    this.closed = true;
    this.waiting = undefined;
    for (const p of this.pullers.splice(0)) p(null);
  }

  reopen(): void {
    this.closed = false;
  }
}

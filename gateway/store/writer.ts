import type { Db } from './db';
import { threadCpuClock } from '../util/thread-cpu';

/** This thread's CPU clock (ms): the stage counts CPU spent, not waits. */
const cpuNow = threadCpuClock();

/**
 * Collects writes from the frame path and commits them in one transaction every `flushMs` (or when
 * `maxBatch` are waiting), so a busy pipeline pays one fsync per batch, not per row.
 */
export class BatchedWriter {
  private pending: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  committed = 0;
  failed = 0;
  /** CPU milliseconds spent committing, on the main thread (the store's share of the frame path; fsync waits not counted). */
  busyMs = 0;

  constructor(
    private readonly db: Db,
    private readonly onError: (err: unknown) => void,
    private readonly flushMs = 100,
    private readonly maxBatch = 500,
  ) {}

  enqueue(write: () => void): void {
    this.pending.push(write);
    if (this.pending.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  get backlog(): number {
    return this.pending.length;
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() => {
      const started = cpuNow();
      try {
        this.db.transaction(() => {
          for (const write of batch) write();
        })();
        this.committed += batch.length;
      } catch (err) {
        // One bad write must not take the batch with it: retry each on its own.
        for (const write of batch) {
          try {
            this.db.transaction(write)();
            this.committed++;
          } catch (e) {
            this.failed++;
            this.onError(e);
          }
        }
        void err;
      } finally {
        this.busyMs += cpuNow() - started;
      }
    });
    return this.flushing;
  }
}

import type { Worker } from 'node:worker_threads';
import type { Detection, DetectorConfig } from '../../models';
import type { WorkerJob, WorkerReply } from './protocol';
import { startWorker } from './start-worker';
import { percentile } from '../util/percentile';

export interface PoolFrame {
  data: Uint8Array;
  width: number;
  height: number;
  /** Wall-clock capture time (ms); frames older than maxAgeMs when a worker frees up are dropped. */
  capturedAt: number;
}

export interface PoolOptions {
  workers: number;
  detector: DetectorConfig;
  /** Frames per model run, taken from different cameras. */
  maxBatch: number;
  maxAgeMs: number;
}

export interface PoolStats {
  workers: number;
  busyWorkers: number;
  queueDepth: number;
  submitted: number;
  completed: number;
  /** Replaced by a newer frame of the same camera before a worker was free. */
  droppedReplaced: number;
  droppedStale: number;
  /** How many runs had 1, 2, ... frames. */
  batchSizes: Record<number, number>;
  inferenceMs: { p50: number; p99: number };
}

interface Pending {
  frame: PoolFrame;
  resolve: (d: Detection[] | null) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  jobs: Map<number, Pending[]>;
}

/**
 * One pool of inference workers shared by every camera. Each camera has at most one frame waiting
 * (a newer one replaces it); a free worker takes up to maxBatch frames round-robin across cameras,
 * so no camera starves and the batch fills from several cameras at once.
 */
export class InferencePool {
  private readonly pending = new Map<string, Pending>();
  private readonly order: string[] = [];
  private next = 0;
  private jobSeq = 0;
  private readonly latencies: number[] = [];
  private readonly stats = { submitted: 0, completed: 0, droppedReplaced: 0, droppedStale: 0, batchSizes: {} as Record<number, number> };
  private closed = false;

  private constructor(
    private readonly slots: Slot[],
    private readonly options: PoolOptions,
    readonly provider: string,
  ) {
    for (const slot of slots) slot.worker.on('message', (m: WorkerReply) => this.onReply(slot, m));
  }

  static async create(options: PoolOptions): Promise<InferencePool> {
    const slots: Slot[] = [];
    let provider = 'cpu';
    try {
      for (let i = 0; i < options.workers; i++) {
        const started = await startWorker({ type: 'init', detector: options.detector }, 'inference worker');
        provider = started.provider;
        slots.push({ worker: started.worker, busy: false, jobs: new Map() });
      }
    } catch (err) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw err;
    }
    return new InferencePool(slots, options, provider);
  }

  /** Person detections for this frame, or null when it was dropped (replaced or too old). */
  submit(cameraId: string, frame: PoolFrame): Promise<Detection[] | null> {
    if (this.closed) return Promise.resolve(null);
    this.stats.submitted++;
    return new Promise((resolve, reject) => {
      const previous = this.pending.get(cameraId);
      if (previous) {
        this.stats.droppedReplaced++;
        previous.resolve(null);
      } else if (!this.order.includes(cameraId)) {
        this.order.push(cameraId);
      }
      this.pending.set(cameraId, { frame, resolve, reject });
      this.dispatch();
    });
  }

  snapshot(): PoolStats {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      workers: this.slots.length,
      busyWorkers: this.slots.filter((s) => s.busy).length,
      queueDepth: this.pending.size,
      ...this.stats,
      batchSizes: { ...this.stats.batchSizes },
      inferenceMs: { p50: Math.round(percentile(sorted, 50) * 10) / 10, p99: Math.round(percentile(sorted, 99) * 10) / 10 },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) p.resolve(null);
    this.pending.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.pending.size === 0) continue;
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const jobId = ++this.jobSeq;
      slot.busy = true;
      slot.jobs.set(jobId, batch);
      this.stats.batchSizes[batch.length] = (this.stats.batchSizes[batch.length] ?? 0) + 1;
      const job: WorkerJob = { type: 'detect', jobId, frames: batch.map((p) => ({ data: p.frame.data, width: p.frame.width, height: p.frame.height })) };
      slot.worker.postMessage(job);
    }
  }

  /** Up to maxBatch frames, one per camera, starting after the camera served last. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const now = Date.now();
    const start = this.next;
    for (let k = 0; k < this.order.length && batch.length < this.options.maxBatch; k++) {
      const i = (start + k) % this.order.length;
      const camera = this.order[i]!;
      const p = this.pending.get(camera);
      if (!p) continue;
      this.pending.delete(camera);
      if (now - p.frame.capturedAt > this.options.maxAgeMs) {
        this.stats.droppedStale++;
        p.resolve(null);
        continue;
      }
      batch.push(p);
      this.next = (i + 1) % this.order.length;
    }
    return batch;
  }

  private onReply(slot: Slot, m: WorkerReply): void {
    if (m.type === 'ready' || m.type === 'faces' || m.type === 'log' || m.jobId === undefined) return;
    const batch = slot.jobs.get(m.jobId);
    slot.jobs.delete(m.jobId);
    slot.busy = false;
    if (batch) {
      if (m.type === 'result') {
        this.latencies.push(m.inferenceMs);
        if (this.latencies.length > 1000) this.latencies.shift();
        this.stats.completed += batch.length;
        batch.forEach((p, i) => p.resolve(m.detections[i] ?? []));
      } else if (m.type === 'error') {
        batch.forEach((p) => p.reject(new Error(m.message)));
      }
    }
    this.dispatch();
  }
}

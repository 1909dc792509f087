import type { Worker } from 'node:worker_threads';
import type { Detection, DetectorConfig } from '../../models';
import type { StageTimes, WorkerJob, WorkerReply } from './protocol';
import { untilIdle } from './idle';
import { startWorker } from './start-worker';
import { transferList } from './transfer';
import { percentile } from '../util/percentile';
import { threadCpuClock } from '../util/thread-cpu';

/** This thread's CPU clock (ms): the stage counts CPU spent, not waits. */
const cpuNow = threadCpuClock();

/**
 * A frame for the detector. Its buffer moves to the worker without a copy and comes back with the
 * result: once submit() resolves (or rejects), `data` is the returned buffer, and the buffer given
 * was detached. A frame dropped before a worker took it keeps its buffer.
 */
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
  /** Most frames per model run, taken from different cameras; useBatch() may lower it (a measured batch curve). */
  maxBatch: number;
  maxAgeMs: number;
}

/** How the pool runs the model: what the gateway chose (inference/layout.ts) and the batch it measured. */
export interface PoolLayout {
  workers: number;
  threadsPerWorker: number;
  maxBatch: number;
}

/** Milliseconds summed over the frames the pool ran, per stage (transfer on the main thread, the rest in workers). */
export interface PoolStageMs extends StageTimes {
  transferMs: number;
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
  layout: PoolLayout;
  stageMs: PoolStageMs;
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
  private readonly stageMs: PoolStageMs = { transferMs: 0, prepareMs: 0, inferenceMs: 0, outputsMs: 0 };
  private closed = false;
  private maxBatch: number;

  private constructor(
    private readonly slots: Slot[],
    private readonly options: PoolOptions,
    readonly provider: string,
    /** The model's input size (frames of another size are resized inside the model or in sharp). */
    readonly inputSize: { width: number; height: number },
  ) {
    this.maxBatch = options.maxBatch;
    for (const slot of slots) slot.worker.on('message', (m: WorkerReply) => this.onReply(slot, m));
  }

  /** Starts the workers one after another (each loads its own ORT session). */
  static async create(options: PoolOptions): Promise<InferencePool> {
    const slots: Slot[] = [];
    let provider = 'cpu';
    let inputSize = { width: 0, height: 0 };
    try {
      for (let i = 0; i < options.workers; i++) {
        const started = await startWorker({ type: 'init', detector: options.detector }, 'inference worker');
        provider = started.provider;
        inputSize = started.inputSize;
        slots.push({ worker: started.worker, busy: false, jobs: new Map() });
      }
    } catch (err) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw err;
    }
    return new InferencePool(slots, options, provider, inputSize);
  }

  /** The batch size in use: PoolOptions.maxBatch, or what useBatch() set from a measured curve. */
  get batch(): number {
    return this.maxBatch;
  }

  /** Runs at most this many frames per model run from now on (1..PoolOptions.maxBatch). */
  useBatch(batch: number): void {
    this.maxBatch = Math.max(1, Math.min(this.options.maxBatch, Math.floor(batch)));
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
      layout: { workers: this.slots.length, threadsPerWorker: this.threadsPerWorker, maxBatch: this.maxBatch },
      stageMs: { ...this.stageMs },
    };
  }

  private get threadsPerWorker(): number {
    return this.options.detector.session?.intraOpThreads ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) p.resolve(null);
    this.pending.clear();
    // A worker terminated while ORT runs its job takes the process down when the run calls back into
    // the torn-down thread (Napi::Error → std::terminate): let running jobs finish, then terminate.
    await untilIdle(() => this.slots.some((s) => s.busy));
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
      const frames = batch.map((p) => ({ data: p.frame.data, width: p.frame.width, height: p.frame.height }));
      const job: WorkerJob = { type: 'detect', jobId, frames };
      const started = cpuNow();
      try {
        slot.worker.postMessage(job, transferList(frames.map((f) => f.data)));
      } catch (err) {
        slot.busy = false;
        slot.jobs.delete(jobId);
        batch.forEach((p) => p.reject(err instanceof Error ? err : new Error(String(err))));
        continue;
      }
      this.stageMs.transferMs += cpuNow() - started;
    }
  }

  /** Up to maxBatch frames, one per camera, starting after the camera served last. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const now = Date.now();
    const start = this.next;
    for (let k = 0; k < this.order.length && batch.length < this.maxBatch; k++) {
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
    if (m.type === 'ready' || m.type === 'faces' || m.type === 'log' || m.type === 'curve' || m.jobId === undefined) return;
    const batch = slot.jobs.get(m.jobId);
    if (!batch) return;
    slot.jobs.delete(m.jobId);
    slot.busy = false;
    // The buffers come home: the caller's frame holds them again.
    m.frames?.forEach((data, i) => {
      if (batch[i]) batch[i].frame.data = data;
    });
    if (m.type === 'result') {
      this.latencies.push(m.inferenceMs);
      if (this.latencies.length > 1000) this.latencies.shift();
      this.stats.completed += batch.length;
      this.stageMs.prepareMs += m.stages.prepareMs;
      this.stageMs.inferenceMs += m.stages.inferenceMs;
      this.stageMs.outputsMs += m.stages.outputsMs;
      batch.forEach((p, i) => p.resolve(m.detections[i] ?? []));
    } else {
      batch.forEach((p) => p.reject(new Error(m.message)));
    }
    this.dispatch();
  }

  /**
   * Measures ms per frame at each batch size on the first idle worker (the model on a prepared
   * input, best of `runs`), for choosing the batch; callers do this before frames flow.
   */
  calibrate(batches: readonly number[], runs = 3): Promise<Array<{ batch: number; msPerFrame: number }>> {
    const slot = this.slots.find((s) => !s.busy);
    if (!slot) return Promise.reject(new Error('no idle inference worker to calibrate on'));
    const jobId = ++this.jobSeq;
    slot.busy = true;
    return new Promise((resolve, reject) => {
      const onReply = (m: WorkerReply) => {
        if ((m.type !== 'curve' && m.type !== 'error') || m.jobId !== jobId) return;
        slot.worker.off('message', onReply);
        slot.busy = false;
        this.dispatch();
        if (m.type === 'curve') resolve(m.points);
        else reject(new Error(m.message));
      };
      slot.worker.on('message', onReply);
      slot.worker.postMessage({ type: 'calibrate', jobId, batches: [...batches], runs });
    });
  }
}

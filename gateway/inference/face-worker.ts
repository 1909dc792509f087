import type { Worker } from 'node:worker_threads';
import type { FaceEngineConfig } from '../../models';
import type { FaceResult, WorkerReply } from './protocol';
import { untilIdle } from './idle';
import { startWorker } from './start-worker';

interface Waiting {
  frame: { data: Uint8Array; width: number; height: number };
  resolve: (faces: FaceResult[] | null) => void;
}

/**
 * The face engine in its own worker thread. Like the detector pool it keeps at most one waiting
 * frame per camera (newest wins) and serves cameras in turn.
 */
export class FaceWorker {
  private readonly waiting = new Map<string, Waiting>();
  private busy: { jobId: number; resolve: Waiting['resolve'] } | undefined;
  private jobSeq = 0;
  analysed = 0;
  dropped = 0;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: WorkerReply) => {
      if ((m.type !== 'faces' && m.type !== 'error') || !this.busy || m.jobId !== this.busy.jobId) return;
      const { resolve } = this.busy;
      this.busy = undefined;
      this.analysed++;
      resolve(m.type === 'faces' ? m.faces : []);
      this.dispatch();
    });
  }

  static async create(face: FaceEngineConfig): Promise<FaceWorker> {
    const { worker } = await startWorker({ type: 'init', face }, 'face worker');
    return new FaceWorker(worker);
  }

  /** Faces with embeddings, or null when a newer frame of the same camera replaced this one. */
  analyze(cameraId: string, frame: Waiting['frame']): Promise<FaceResult[] | null> {
    return new Promise((resolve) => {
      const previous = this.waiting.get(cameraId);
      if (previous) {
        this.dropped++;
        previous.resolve(null);
      }
      this.waiting.delete(cameraId);
      this.waiting.set(cameraId, { frame, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    for (const w of this.waiting.values()) w.resolve(null);
    this.waiting.clear();
    // Terminating mid-run crashes the process (see InferencePool.close): the running job finishes first.
    await untilIdle(() => this.busy !== undefined);
    this.busy?.resolve(null);
    await this.worker.terminate();
  }

  private dispatch(): void {
    if (this.busy) return;
    const first = this.waiting.entries().next();
    if (first.done) return;
    const [camera, job] = first.value;
    this.waiting.delete(camera);
    const jobId = ++this.jobSeq;
    this.busy = { jobId, resolve: job.resolve };
    this.worker.postMessage({ type: 'faces', jobId, frame: job.frame });
  }
}

import { Worker } from 'node:worker_threads';
import type { WorkerInit, WorkerReply } from './protocol';

/** Starts an inference worker thread and waits for its models to load; throws (worker gone) if they do not. */
export async function startWorker(init: WorkerInit, role: string): Promise<{ worker: Worker; provider: string }> {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url));
  const ready = await new Promise<WorkerReply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage(init);
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  if (ready.type !== 'ready') {
    await worker.terminate();
    throw new Error(`${role} failed to start: ${ready.type === 'error' ? ready.message : ready.type}`);
  }
  return { worker, provider: ready.provider };
}

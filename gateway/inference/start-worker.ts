import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { modelsLog } from '../../models';
import type { WorkerInit, WorkerReply } from './protocol';

/** Writes a worker's models log line with this thread's models logger, at the level it was logged. */
function relayWorkerLog(line: string): void {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  const { level, msg, time: _time, pid: _pid, hostname: _hostname, name: _name, ...fields } = record;
  const label = typeof level === 'number' ? pino.levels.labels[level] : undefined;
  if (label === 'fatal' || label === 'error' || label === 'warn' || label === 'info' || label === 'debug' || label === 'trace') {
    modelsLog[label]({ ...fields, thread: 'worker' }, typeof msg === 'string' ? msg : '');
  }
}

/** Starts an inference worker thread and waits for its models to load; throws (worker gone) if they do not. */
export async function startWorker(init: WorkerInit, role: string): Promise<{ worker: Worker; provider: string; inputSize: { width: number; height: number } }> {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url));
  worker.on('message', (m: WorkerReply) => {
    if (m.type === 'log') relayWorkerLog(m.line);
  });
  const ready = await new Promise<WorkerReply>((resolve, reject) => {
    const onReply = (m: WorkerReply) => {
      if (m.type === 'log') return;
      worker.off('message', onReply);
      resolve(m);
    };
    worker.on('message', onReply);
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
  return { worker, provider: ready.provider, inputSize: { width: ready.inputWidth, height: ready.inputHeight } };
}

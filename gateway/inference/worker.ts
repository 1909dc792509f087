import { parentPort } from 'node:worker_threads';
import pino from 'pino';
import { Detector, FaceEngine, setModelsLogger } from '../../models';
import type { CalibrateJob, StageTimes, WorkerJob, WorkerReply, WorkerRequest } from './protocol';
import { threadCpuClock } from '../util/thread-cpu';
import { transferList } from './transfer';

/** Inference worker: owns its own ORT sessions; the main event loop never runs a model. */
const port = parentPort!;
let detector: Detector | undefined;
let faces: FaceEngine | undefined;
/** Replies, moving `transfer` back; a reply that cannot move its buffers goes as a copy rather than not at all. */
function reply(m: WorkerReply, transfer: ArrayBuffer[] = []): void {
  try {
    port.postMessage(m, transfer);
  } catch {
    port.postMessage(m);
  }
}
// The models' log lines go to the main thread, which writes them with its own logger (level,
// redaction, destination): a worker writing to stdout itself would bypass all three.
setModelsLogger(pino({ name: 'models', level: 'trace' }, { write: (line: string) => reply({ type: 'log', line }) }));

async function detect(msg: WorkerJob): Promise<void> {
  const buffers = msg.frames.map((f) => f.data);
  const started = performance.now();
  try {
    if (!detector) throw new Error('this worker has no detector');
    const t = detector.timings;
    const before: StageTimes = { prepareMs: t.prepareMs, inferenceMs: t.inferenceMs, outputsMs: t.outputsMs };
    const detections = await detector.detect(msg.frames);
    const stages: StageTimes = { prepareMs: t.prepareMs - before.prepareMs, inferenceMs: t.inferenceMs - before.inferenceMs, outputsMs: t.outputsMs - before.outputsMs };
    reply({ type: 'result', jobId: msg.jobId, detections, inferenceMs: performance.now() - started, stages, frames: buffers }, transferList(buffers));
  } catch (err) {
    reply({ type: 'error', jobId: msg.jobId, message: (err as Error).message, frames: buffers }, transferList(buffers));
  }
}

/** ms per frame at each batch size: best of `runs` timed runs after one warm-up run per size. */
async function calibrate(msg: CalibrateJob): Promise<void> {
  try {
    if (!detector) throw new Error('this worker has no detector');
    const points: Array<{ batch: number; msPerFrame: number }> = [];
    for (const batch of msg.batches.filter((b) => b <= detector!.batchSize)) {
      await detector.runPrepared(batch);
      let best = Infinity;
      for (let i = 0; i < msg.runs; i++) {
        const t0 = performance.now();
        await detector.runPrepared(batch);
        best = Math.min(best, (performance.now() - t0) / batch);
      }
      points.push({ batch, msPerFrame: Math.round(best * 100) / 100 });
    }
    reply({ type: 'curve', jobId: msg.jobId, points });
  } catch (err) {
    reply({ type: 'error', jobId: msg.jobId, message: (err as Error).message });
  }
}

async function handle(msg: WorkerRequest): Promise<void> {
  if (msg.type === 'init') {
    try {
      if (msg.detector) {
        detector = await Detector.create(msg.detector);
        detector.clock = threadCpuClock();
      }
      if (msg.face) faces = await FaceEngine.create(msg.face);
      const info = detector?.info;
      reply({ type: 'ready', provider: info?.provider ?? faces?.provider ?? 'cpu', batchSize: info?.batchSize ?? 1, inputWidth: info?.inputWidth ?? 0, inputHeight: info?.inputHeight ?? 0 });
    } catch (err) {
      reply({ type: 'error', message: (err as Error).message });
    }
    return;
  }
  if (msg.type === 'detect') return detect(msg);
  if (msg.type === 'calibrate') return calibrate(msg);
  const started = performance.now();
  try {
    if (!faces) throw new Error('this worker has no face engine');
    const found = await faces.analyze(msg.frame);
    reply({
      type: 'faces',
      jobId: msg.jobId,
      faces: found.map((f) => ({ box: f.box, score: f.score, aligned: f.aligned, quality: f.quality, embedding: f.embedding })),
      inferenceMs: performance.now() - started,
    });
  } catch (err) {
    reply({ type: 'error', jobId: msg.jobId, message: (err as Error).message });
  }
}

port.on('message', (msg: WorkerRequest) => void handle(msg));

import { parentPort } from 'node:worker_threads';
import pino from 'pino';
import { Detector, FaceEngine, setModelsLogger } from '../../models';
import type { WorkerReply, WorkerRequest } from './protocol';

/** Inference worker: owns its own ORT sessions; the main event loop never runs a model. */
const port = parentPort!;
let detector: Detector | undefined;
let faces: FaceEngine | undefined;
const reply = (m: WorkerReply) => port.postMessage(m);
// The models' log lines go to the main thread, which writes them with its own logger (level,
// redaction, destination): a worker writing to stdout itself would bypass all three.
setModelsLogger(pino({ name: 'models', level: 'trace' }, { write: (line: string) => reply({ type: 'log', line }) }));

async function handle(msg: WorkerRequest): Promise<void> {
  if (msg.type === 'init') {
    try {
      if (msg.detector) detector = await Detector.create(msg.detector);
      if (msg.face) faces = await FaceEngine.create(msg.face);
      reply({ type: 'ready', provider: detector?.info.provider ?? faces?.provider ?? 'cpu', batchSize: detector?.info.batchSize ?? 1 });
    } catch (err) {
      reply({ type: 'error', message: (err as Error).message });
    }
    return;
  }
  const started = performance.now();
  try {
    if (msg.type === 'detect') {
      if (!detector) throw new Error('this worker has no detector');
      const detections = await detector.detect(msg.frames);
      reply({ type: 'result', jobId: msg.jobId, detections, inferenceMs: performance.now() - started });
    } else {
      if (!faces) throw new Error('this worker has no face engine');
      const found = await faces.analyze(msg.frame);
      reply({
        type: 'faces',
        jobId: msg.jobId,
        faces: found.map((f) => ({ box: f.box, score: f.score, aligned: f.aligned, quality: f.quality, embedding: f.embedding })),
        inferenceMs: performance.now() - started,
      });
    }
  } catch (err) {
    reply({ type: 'error', jobId: msg.jobId, message: (err as Error).message });
  }
}

port.on('message', (msg: WorkerRequest) => void handle(msg));

import { parentPort } from 'node:worker_threads';
import { Detector } from '../../models';
import type { WorkerReply, WorkerRequest } from './protocol';

/** Inference worker: owns one detector (its own ORT session); the main event loop never runs a model. */
const port = parentPort!;
let detector: Detector | undefined;
const reply = (m: WorkerReply) => port.postMessage(m);

port.on('message', (msg: WorkerRequest) => {
  void (async () => {
    if (msg.type === 'init') {
      try {
        detector = await Detector.create(msg.detector);
        reply({ type: 'ready', provider: detector.info.provider, batchSize: detector.info.batchSize });
      } catch (err) {
        reply({ type: 'error', message: (err as Error).message });
      }
      return;
    }
    if (!detector) return reply({ type: 'error', jobId: msg.jobId, message: 'worker not initialised' });
    const started = performance.now();
    try {
      const detections = await detector.detect(msg.frames);
      reply({ type: 'result', jobId: msg.jobId, detections, inferenceMs: performance.now() - started });
    } catch (err) {
      reply({ type: 'error', jobId: msg.jobId, message: (err as Error).message });
    }
  })();
});

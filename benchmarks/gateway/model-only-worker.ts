/** One model-only worker (model-only.ts): the person detector as the gateway configures it, run flat out on request. */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { Detector, setModelsLogger, type DetectorConfig } from '../../models';
import type { RgbFrame } from '../../models/image';

export interface ModelOnlyInit {
  detector: DetectorConfig;
  frame: RgbFrame;
}

export interface ModelOnlyRun {
  /** `prepared`: the model on an already filled input tensor; `detect`: camera frames in, boxes out. */
  mode: 'prepared' | 'detect';
  batch: number;
  ms: number;
}

const port = parentPort!;
const init = workerData as ModelOnlyInit;
// A missing CUDA provider's warning, once per worker, would tear through the progress bar.
setModelsLogger(pino({ name: 'models', level: process.env.LOG_LEVEL ?? 'error' }));
const detector = await Detector.create(init.detector);
port.postMessage('ready');
port.on('message', (m: ModelOnlyRun) => {
  void (async () => {
    const frames = Array.from({ length: m.batch }, () => init.frame);
    let n = 0;
    const end = performance.now() + m.ms;
    while (performance.now() < end) {
      if (m.mode === 'prepared') await detector.runPrepared(m.batch);
      else await detector.detect(frames);
      n += m.batch;
    }
    port.postMessage(n);
  })();
});

import type { Detection, DetectorConfig } from '../../models';

export interface WorkerInit {
  type: 'init';
  detector: DetectorConfig;
}

export interface WorkerJob {
  type: 'detect';
  jobId: number;
  frames: Array<{ data: Uint8Array; width: number; height: number }>;
}

export type WorkerRequest = WorkerInit | WorkerJob;

export type WorkerReply =
  | { type: 'ready'; provider: string; batchSize: number }
  | { type: 'result'; jobId: number; detections: Detection[][]; inferenceMs: number }
  | { type: 'error'; jobId?: number; message: string };

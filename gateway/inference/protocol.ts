import type { Detection, DetectorConfig, FaceEngineConfig } from '../../models';

export interface WorkerInit {
  type: 'init';
  detector?: DetectorConfig;
  face?: FaceEngineConfig;
}

export interface FaceJob {
  type: 'faces';
  jobId: number;
  frame: { data: Uint8Array; width: number; height: number };
}

/** A face as it crosses the thread boundary (no landmarks, to keep messages small). */
export interface FaceResult {
  box: { x1: number; y1: number; x2: number; y2: number };
  score: number;
  aligned: boolean;
  quality: number;
  embedding: Float32Array;
}

/** The frames' buffers are transferred to the worker, and back with the reply (result or error). */
export interface WorkerJob {
  type: 'detect';
  jobId: number;
  frames: Array<{ data: Uint8Array; width: number; height: number }>;
}

/** Times the detector at each batch size on a prepared input: ms per frame, best of `runs`. */
export interface CalibrateJob {
  type: 'calibrate';
  jobId: number;
  batches: number[];
  runs: number;
}

export type WorkerRequest = WorkerInit | WorkerJob | FaceJob | CalibrateJob;

/** Milliseconds of one job's detector stages (DetectorTimings, for this job only). */
export interface StageTimes {
  prepareMs: number;
  inferenceMs: number;
  outputsMs: number;
}

export type WorkerReply =
  | { type: 'ready'; provider: string; batchSize: number; inputWidth: number; inputHeight: number }
  | { type: 'result'; jobId: number; detections: Detection[][]; inferenceMs: number; stages: StageTimes; frames: Uint8Array[] }
  | { type: 'curve'; jobId: number; points: Array<{ batch: number; msPerFrame: number }> }
  | { type: 'faces'; jobId: number; faces: FaceResult[]; inferenceMs: number }
  | { type: 'error'; jobId?: number; message: string; frames?: Uint8Array[] }
  /** A line of the worker's models log (pino JSON), written by the main thread's logger. */
  | { type: 'log'; line: string };

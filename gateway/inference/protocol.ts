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

export interface WorkerJob {
  type: 'detect';
  jobId: number;
  frames: Array<{ data: Uint8Array; width: number; height: number }>;
}

export type WorkerRequest = WorkerInit | WorkerJob | FaceJob;

export type WorkerReply =
  | { type: 'ready'; provider: string; batchSize: number }
  | { type: 'result'; jobId: number; detections: Detection[][]; inferenceMs: number }
  | { type: 'faces'; jobId: number; faces: FaceResult[]; inferenceMs: number }
  | { type: 'error'; jobId?: number; message: string }
  /** A line of the worker's models log (pino JSON), written by the main thread's logger. */
  | { type: 'log'; line: string };

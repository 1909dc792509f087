export { InferencePool, type PoolFrame, type PoolOptions, type PoolStats } from './pool';
export { FaceWorker } from './face-worker';
export { personDetectorConfig } from './detector-config';
export type { FaceResult } from './protocol';

export { InferencePool, type PoolFrame, type PoolOptions, type PoolStats, type PoolLayout, type PoolStageMs } from './pool';
export { FaceWorker } from './face-worker';
export { personDetectorConfig } from './detector-config';
export { startDetectorPool } from './start-pool';
export { threadLayout, chooseBatch, type ThreadLayout, type BatchPoint } from './layout';
export type { FaceResult } from './protocol';

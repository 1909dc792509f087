export { InferencePool, type PoolFrame, type PoolOptions, type PoolStats } from './pool';
export { FaceWorker } from './face-worker';
export type { FaceResult } from './protocol';

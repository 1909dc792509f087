export { InferencePool, type PoolFrame, type PoolOptions, type PoolStats } from './pool';

export { FaceEngine } from './engine';
export { FaceEngineConfigSchema, type FaceEngineConfig } from './config';
export { cosineSimilarity, l2Normalise, estimateSimilarity, ARCFACE_TEMPLATE, type Affine } from './similarity';
export type { Face, FaceDetection } from './types';

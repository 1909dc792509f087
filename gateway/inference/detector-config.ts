import type { DetectorConfig } from '../../models';
import type { GatewayConfig } from '../config';
import { personScores } from '../tracking';

/**
 * The person detector the inference pool runs for `models`: the built-in CenterNet, or the YOLO
 * model at `detectorModel`. It reports people down to the tracker's keep-alive score (0.2, or
 * `personThreshold` when lower), not down to `personThreshold`: the tracker's second pass needs the
 * low-scoring boxes, and only those at `personThreshold` or above start tracks.
 */
export function personDetectorConfig(models: GatewayConfig['models'], threadsPerWorker = models.threadsPerWorker ?? 0): DetectorConfig {
  const common = { classes: ['person'], scoreThreshold: personScores(models.personThreshold).keepAlive, session: { intraOpThreads: threadsPerWorker } };
  return models.detectorModel ? { kind: 'yolo', modelPath: models.detectorModel, ...common } : { kind: 'centernet', ...common };
}

export { Detector, type DetectorInfo, type DetectorTimings } from './detector';
export { DetectorConfigSchema, YOLO_LAYOUTS, type DetectorConfig, type YoloLayout } from './config';
export { COCO_LABELS } from './coco-labels';
export { nonMaxSuppression, CandidateBuffer } from './nms';
export { resolveYoloLayout } from './yolo-layout';
export { parseNamesMetadata, readLabelsFile } from './labels';
export type { Box, Detection } from './types';

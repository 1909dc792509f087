/**
 * Public surface of models/: detectors, the face engine, the watchlist index, the TF.js→ONNX
 * converter and the default model assets. Nothing here knows about streams or the gateway.
 */
export { Detector, DetectorConfigSchema, COCO_LABELS, YOLO_LAYOUTS, type DetectorConfig, type DetectorInfo, type DetectorTimings, type Detection, type Box, type YoloLayout } from './detector';
export { FaceEngine, FaceEngineConfigSchema, cosineSimilarity, type Face, type FaceDetection, type FaceEngineConfig } from './face';
export { Watchlist, type WatchlistMatch, type WatchlistOptions, type WatchlistSnapshot } from './watchlist';
export { convertTfjsGraphModel, CONVERTER_VERSION, type ConvertOptions } from './tfjs-onnx';
export { ensureFaceModels, ensureCenternetTfjs, modelsCacheDir, type FaceModelFiles } from './assets';
export { ensureCenternetOnnx } from './assets/centernet-onnx';
export { assertRgbFrame, decodeImage, type RgbFrame } from './image';
export { ModelError } from './errors';
export { SessionConfigSchema, type SessionConfig, type ExecutionProvider } from './runtime/session';
export { modelsLog, setModelsLogger } from './runtime/log';

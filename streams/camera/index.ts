export { CameraStream } from './camera-stream';
export { CameraSourceSchema, parseCameraSource, type CameraSource, type ParsedCameraSource } from './config';
export { redactUrl } from './redact';
export type { Frame } from './frame';
export { CAMERA_STATES, type CameraHealth, type CameraState } from './health';
export { FAILURE_REASONS, FATAL_REASONS, type FailureReason } from './reasons';

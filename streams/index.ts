/**
 * Public surface of streams/: camera URLs in, a bounded flow of sampled RGB frames and health out.
 * Knows nothing of models/ or gateway/.
 */
export {
  CameraStream,
  CameraSourceSchema,
  parseCameraSource,
  redactUrl,
  CAMERA_STATES,
  FAILURE_REASONS,
  type CameraSource,
  type ParsedCameraSource,
  type Frame,
  type CameraHealth,
  type CameraState,
  type FailureReason,
} from './camera';
export { LiveViewHub, type LiveViewOptions, type RelayInfo } from './live';
export { CameraSimulator, OnvifDeviceSimulator, simulatorMedia, SIM_FPS, SIM_RESOLUTIONS, type SimulatedCamera, type SimResolution } from './simulator';
export { resolveFfmpeg, type FfmpegBinary } from './ffmpeg/binary';
export { installShutdownHooks, liveChildren } from './ffmpeg/children';
export { setStreamsLogger } from './log';

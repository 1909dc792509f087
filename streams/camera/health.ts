import type { FailureReason } from './reasons';

export const CAMERA_STATES = ['starting', 'streaming', 'stalled', 'reconnecting', 'failed', 'stopped'] as const;
export type CameraState = (typeof CAMERA_STATES)[number];

export interface CameraHealth {
  cameraId: string;
  /** The source URL with any password masked. */
  url: string;
  state: CameraState;
  /** Why the camera is not streaming (absent while streaming). */
  reason?: FailureReason;
  /** The ffmpeg line or event behind `reason`. */
  detail?: string;
  /** When the state last changed (ms since the epoch). */
  since: number;
  /** When the next connection attempt is due, while reconnecting or failed. */
  retryAt?: number;
  framesIn: number;
  framesDelivered: number;
  framesDropped: number;
  reconnects: number;
  /** ms since the last frame arrived; null before the first. */
  lastFrameAgeMs: number | null;
  /** Frames per second arriving from ffmpeg over the last 5 s (the sampled rate). */
  measuredFps: number;
  /** CPU seconds used by this camera's ffmpeg processes so far. */
  ffmpegCpuSeconds: number;
  ffmpegVersion: string;
  width: number;
  height: number;
}

import type { BoxXYXY } from '../tracking';
import type { ZoneRules } from './rules';

/** One detected frame as the pipeline saw it, after the rules ran (PipelineDeps.onFrame; the evaluation reads it). */
export interface FrameObservation {
  /** The frame's capturedAt (ms). */
  at: number;
  /** The detector's frame size: the boxes' coordinates. */
  width: number;
  height: number;
  /** Person detections after the masks. */
  detections: Array<{ box: BoxXYXY; score: number }>;
  /** Confirmed active tracks. */
  tracks: Array<{ id: number; box: BoxXYXY; score: number }>;
  zones: ReturnType<ZoneRules['liveZones']>;
}

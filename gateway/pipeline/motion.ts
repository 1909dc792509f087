import sharp from 'sharp';

export interface MotionOptions {
  /**
   * Mean absolute grey difference (0..1) above which the scene counts as moving. Measured on
   * vtest.avi at 5 fps: people walking give 0.0023-0.01 (median 0.0066); an unchanged scene ~0.
   */
  threshold: number;
  /** Detect at least this often even when static, so people standing still are not lost. */
  heartbeatMs: number;
  /** A difference above this over the whole frame is a tamper (camera moved or covered). */
  tamperThreshold: number;
  /** Mean brightness (0..1) below this is a blackout. */
  blackoutBelow: number;
}

export const DEFAULT_MOTION: MotionOptions = { threshold: 0.0015, heartbeatMs: 5000, tamperThreshold: 0.35, blackoutBelow: 0.03 };

export interface MotionResult {
  detect: boolean;
  reason: 'motion' | 'heartbeat' | 'static';
  difference: number;
  brightness: number;
  tamper?: 'scene_change' | 'blackout';
}

const THUMB_W = 64;
const THUMB_H = 36;

/**
 * Cheap differencing on a 64x36 grey thumbnail (sharp resizes in C; the 2,304-byte comparison is
 * too small to be worth another native call). Skips detection while the scene is static, except for
 * a heartbeat; also flags sudden whole-frame change and blackout for camera_tampered.
 */
export class MotionGate {
  private previous: Uint8Array | undefined;
  private lastDetect = -Infinity;
  skipped = 0;
  passed = 0;

  constructor(private readonly options: MotionOptions = DEFAULT_MOTION) {}

  async check(frame: { data: Uint8Array; width: number; height: number }, now: number): Promise<MotionResult> {
    const thumb = new Uint8Array(
      await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
        .resize(THUMB_W, THUMB_H, { kernel: 'linear', fit: 'fill' })
        .greyscale()
        .raw()
        .toBuffer(),
    );
    let diff = 0;
    let sum = 0;
    const prev = this.previous;
    for (let i = 0; i < thumb.length; i++) {
      sum += thumb[i]!;
      if (prev) diff += Math.abs(thumb[i]! - prev[i]!);
    }
    this.previous = thumb;
    const difference = prev ? diff / thumb.length / 255 : 1;
    const brightness = sum / thumb.length / 255;
    const o = this.options;
    const tamper = brightness < o.blackoutBelow ? 'blackout' : prev && difference > o.tamperThreshold ? 'scene_change' : undefined;
    const moving = difference >= o.threshold;
    const heartbeat = now - this.lastDetect >= o.heartbeatMs;
    const detect = moving || heartbeat;
    if (detect) {
      this.lastDetect = now;
      this.passed++;
    } else {
      this.skipped++;
    }
    return { detect, reason: moving ? 'motion' : heartbeat ? 'heartbeat' : 'static', difference, brightness, ...(tamper ? { tamper } : {}) };
  }
}

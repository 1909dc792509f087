import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { BoxXYXY } from './tracking';

export interface SnapshotFrame {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface SavedSnapshot {
  path: string;
  blurredPath: string;
}

/** The head: the top quarter of a person box, widened a little; this is what gets blurred. */
function headRegion(b: BoxXYXY, width: number, height: number) {
  const w = b.x2 - b.x1;
  const left = Math.max(0, Math.floor(b.x1 - w * 0.1));
  const top = Math.max(0, Math.floor(b.y1 - (b.y2 - b.y1) * 0.05));
  const right = Math.min(width, Math.ceil(b.x2 + w * 0.1));
  const bottom = Math.min(height, Math.ceil(b.y1 + (b.y2 - b.y1) * 0.28));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

function boxesSvg(boxes: readonly BoxXYXY[], width: number, height: number, colour: string): Buffer {
  const rects = boxes
    .map((b) => `<rect x="${b.x1.toFixed(1)}" y="${b.y1.toFixed(1)}" width="${(b.x2 - b.x1).toFixed(1)}" height="${(b.y2 - b.y1).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="2"/>`)
    .join('');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${rects}</svg>`);
}

/**
 * Event snapshots: a JPEG with the people's boxes drawn (for security) and a copy with every head
 * blurred (for supervisors). Blurring the head region of each tracked person, rather than only the
 * faces a face detector finds, never leaves a missed face readable. All pixel work is in sharp.
 */
export async function saveSnapshot(dir: string, name: string, frame: SnapshotFrame, boxes: readonly BoxXYXY[]): Promise<SavedSnapshot> {
  mkdirSync(dir, { recursive: true });
  const raw = { raw: { width: frame.width, height: frame.height, channels: 3 as const } };
  const overlay = { input: boxesSvg(boxes, frame.width, frame.height, '#ff3b30'), left: 0, top: 0 };
  const original = await sharp(frame.data, raw).composite([overlay]).jpeg({ quality: 85 }).toBuffer();
  const heads = await Promise.all(
    boxes.map(async (b) => {
      const region = headRegion(b, frame.width, frame.height);
      const blurred = await sharp(frame.data, raw).extract(region).blur(Math.max(3, region.width / 6)).jpeg().toBuffer();
      return { input: blurred, left: region.left, top: region.top };
    }),
  );
  const blurred = await sharp(frame.data, raw).composite([...heads, overlay]).jpeg({ quality: 85 }).toBuffer();
  const path = join(dir, `${name}.jpg`);
  const blurredPath = join(dir, `${name}-blurred.jpg`);
  writeFileSync(path, original);
  writeFileSync(blurredPath, blurred);
  return { path, blurredPath };
}

/** Snapshots being encoded at once beyond which a new one is skipped. */
export const MAX_SNAPSHOTS_IN_FLIGHT = 4;

export interface SnapshotTakerOptions {
  /** Snapshots go to <dir>/<camera>/<YYYY-MM-DD>/. */
  dir: string;
  /** Called with the files once written (the store records them). */
  saved: (eventUid: string, cameraId: string, at: number, files: SavedSnapshot) => void;
  failed: (err: unknown, cameraId: string) => void;
  maxInFlight?: number;
}

/**
 * Takes event snapshots in the background: a burst of events must not queue unbounded image
 * encoding, so beyond `maxInFlight` at once a snapshot is skipped.
 */
export class SnapshotTaker {
  private inFlight = 0;

  constructor(private readonly options: SnapshotTakerOptions) {}

  /** Starts one snapshot; false when skipped because too many are being encoded. */
  take(eventUid: string, cameraId: string, frame: SnapshotFrame, boxes: readonly BoxXYXY[], at: number): boolean {
    if (this.inFlight >= (this.options.maxInFlight ?? MAX_SNAPSHOTS_IN_FLIGHT)) return false;
    this.inFlight++;
    const dir = join(this.options.dir, cameraId, new Date(at).toISOString().slice(0, 10));
    saveSnapshot(dir, eventUid, frame, boxes)
      .then((files) => this.options.saved(eventUid, cameraId, at, files))
      .catch((err: unknown) => this.options.failed(err, cameraId))
      .finally(() => this.inFlight--);
    return true;
  }
}

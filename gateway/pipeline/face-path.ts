import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { FaceResult, FaceWorker } from '../inference';
import type { Track } from '../tracking';
import type { WatchlistStore } from '../watchlist';
import type { EventSink } from './events';

export interface FacePathOptions {
  worker: FaceWorker;
  watchlist: WatchlistStore;
  /** Cosine similarity at or above which a face matches a watchlist person. */
  matchThreshold: number;
  /** Faces smaller than this (px, longer side) are not matched: identity is unreliable below ~40 px. */
  minFaceSize: number;
  /** Faces looked at per track before giving up on it. */
  maxFacesPerTrack: number;
  /** At most one face analysis per camera this often. */
  intervalMs: number;
}

interface Frame {
  data: Uint8Array;
  width: number;
  height: number;
  capturedAt: number;
}

const inside = (f: FaceResult, t: Track): boolean => {
  const cx = (f.box.x1 + f.box.x2) / 2;
  const cy = (f.box.y1 + f.box.y2) / 2;
  return cx >= t.box.x1 && cx <= t.box.x2 && cy >= t.box.y1 && cy <= t.box.y2;
};

/**
 * Face recognition for one camera: faces found (in a worker) inside tracked people are embedded and
 * searched in the watchlist; a match raises one watchlist_match per track, with a small face crop.
 */
export class FacePath {
  private lastRun = -Infinity;
  private readonly attempts = new Map<number, number>();
  private readonly matched = new Set<number>();
  matches = 0;

  constructor(
    private readonly cameraId: string,
    private readonly options: FacePathOptions,
    private readonly sink: EventSink,
  ) {}

  /** Called per detected frame; runs at most every intervalMs and never blocks the caller. */
  offer(frame: Frame, active: readonly Track[]): void {
    const candidates = active.filter((t) => !this.matched.has(t.id) && (this.attempts.get(t.id) ?? 0) < this.options.maxFacesPerTrack);
    if (candidates.length === 0 || frame.capturedAt - this.lastRun < this.options.intervalMs) return;
    this.lastRun = frame.capturedAt;
    void this.run(frame, candidates).catch(() => undefined);
  }

  forget(ended: readonly Track[]): void {
    for (const t of ended) {
      this.attempts.delete(t.id);
      this.matched.delete(t.id);
    }
  }

  private async run(frame: Frame, tracks: readonly Track[]): Promise<void> {
    const faces = await this.options.worker.analyze(this.cameraId, { data: frame.data, width: frame.width, height: frame.height });
    if (!faces) return;
    for (const face of faces) {
      const size = Math.max(face.box.x2 - face.box.x1, face.box.y2 - face.box.y1);
      const track = tracks.find((t) => inside(face, t));
      if (!track || this.matched.has(track.id) || !face.aligned || size < this.options.minFaceSize) continue;
      this.attempts.set(track.id, (this.attempts.get(track.id) ?? 0) + 1);
      const [best] = await this.options.watchlist.search(face.embedding, 1, this.options.matchThreshold);
      if (!best) continue;
      this.matched.add(track.id);
      this.matches++;
      const person = this.options.watchlist.get(best.id);
      const uid = randomUUID();
      this.sink.start({
        uid,
        cameraId: this.cameraId,
        trackId: track.id,
        type: 'watchlist_match',
        severity: 'high',
        at: frame.capturedAt,
        data: { personId: best.id, person: person?.name ?? null, similarity: Math.round(best.similarity * 1000) / 1000, faceCrop: await faceCrop(frame, face) },
      });
      this.sink.end(uid, frame.capturedAt, {});
    }
  }
}

async function faceCrop(frame: Frame, face: FaceResult): Promise<string> {
  const left = Math.max(0, Math.floor(face.box.x1));
  const top = Math.max(0, Math.floor(face.box.y1));
  const width = Math.max(1, Math.min(frame.width - left, Math.ceil(face.box.x2 - face.box.x1)));
  const height = Math.max(1, Math.min(frame.height - top, Math.ceil(face.box.y2 - face.box.y1)));
  const jpeg = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).extract({ left, top, width, height }).jpeg({ quality: 80 }).toBuffer();
  return jpeg.toString('base64');
}

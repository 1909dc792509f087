import type { Track } from '../tracking';

export interface ZoneVisit {
  zoneId: string;
  enter: number;
  exit?: number;
}

/** What the gateway keeps of a person who walked through a camera's view. */
export interface TrackSummary {
  cameraId: string;
  trackId: number;
  firstSeen: number;
  lastSeen: number;
  zones: ZoneVisit[];
  /**
   * The best view of the person: highest score weighted by box size. Only the box, score and time
   * are kept; no image of the person (Decree 13: no face data of non-watchlist people).
   */
  best: { at: number; score: number; box: { x1: number; y1: number; x2: number; y2: number } };
}

interface Open {
  firstSeen: number;
  lastSeen: number;
  zones: ZoneVisit[];
  best: TrackSummary['best'];
  bestValue: number;
}

const quality = (t: Track) => t.score * Math.sqrt(Math.max(0, (t.box.x2 - t.box.x1) * (t.box.y2 - t.box.y1)));

/** Collects per-track summaries (first/last seen, zone visits, best view) and hands each over when its track ends. */
export class TrackSummaries {
  private readonly open = new Map<number, Open>();

  constructor(
    private readonly cameraId: string,
    private readonly onEnded: (s: TrackSummary) => void,
  ) {}

  observe(active: readonly Track[], at: number): void {
    for (const t of active) {
      const value = quality(t);
      const o = this.open.get(t.id);
      const best = { at, score: Math.round(t.score * 1000) / 1000, box: { ...t.box } };
      if (!o) this.open.set(t.id, { firstSeen: t.firstSeen, lastSeen: t.lastSeen, zones: [], best, bestValue: value });
      else {
        o.lastSeen = t.lastSeen;
        if (value > o.bestValue) Object.assign(o, { best, bestValue: value });
      }
    }
  }

  enterZone(trackId: number, zoneId: string, at: number): void {
    this.open.get(trackId)?.zones.push({ zoneId, enter: at });
  }

  exitZone(trackId: number, zoneId: string, at: number): void {
    const visit = this.open.get(trackId)?.zones.findLast((v) => v.zoneId === zoneId && v.exit === undefined);
    if (visit) visit.exit = at;
  }

  /** Call after the zone rules have seen the ended tracks, so their exits are recorded. */
  end(ended: readonly Track[]): void {
    for (const t of ended) {
      const o = this.open.get(t.id);
      if (!o) continue;
      this.open.delete(t.id);
      this.onEnded({ cameraId: this.cameraId, trackId: t.id, firstSeen: o.firstSeen, lastSeen: t.lastSeen, zones: o.zones, best: o.best });
    }
  }

  get openCount(): number {
    return this.open.size;
  }
}

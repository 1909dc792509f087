import type { Db } from './db';

type Box = { x1: number; y1: number; x2: number; y2: number };

/** What is kept of an ended track (the pipeline's TrackSummary). */
export interface NewTrack {
  cameraId: string;
  trackId: number;
  firstSeen: number;
  lastSeen: number;
  zones: ReadonlyArray<{ zoneId: string; enter: number; exit?: number }>;
  best: { at: number; score: number; box: Box };
}

export interface StoredTrack {
  cameraId: string;
  trackId: number;
  firstSeen: number;
  lastSeen: number;
  zones: unknown;
  best: unknown;
}

export interface TrackEvent {
  id: number;
  type: string;
  severity: string;
  startedAt: number;
}

type TrackRow = Omit<StoredTrack, 'zones' | 'best'> & { zones: string; best: string | null };

/** Ended tracks (the tracks table): written when a track ends, read from an event that names it. */
export class TrackStore {
  private readonly insert;
  private readonly around;
  private readonly eventsOfTrack;

  constructor(db: Db) {
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO tracks (camera_id, track_id, first_seen, last_seen, zones, best) VALUES (@cameraId, @trackId, @firstSeen, @lastSeen, @zones, @best)',
    );
    this.around = db.prepare(
      `SELECT camera_id AS cameraId, track_id AS trackId, first_seen AS firstSeen, last_seen AS lastSeen, zones, best
       FROM tracks WHERE camera_id = @cameraId AND track_id = @trackId AND first_seen <= @at AND last_seen >= @at - @slackMs
       ORDER BY first_seen DESC LIMIT 1`,
    );
    this.eventsOfTrack = db.prepare(
      `SELECT id, type, severity, started_at AS startedAt FROM events
       WHERE camera_id = @cameraId AND track_id = @trackId AND started_at BETWEEN @from AND @to ORDER BY started_at, id LIMIT 50`,
    );
  }

  save(t: NewTrack): void {
    this.insert.run({ cameraId: t.cameraId, trackId: t.trackId, firstSeen: t.firstSeen, lastSeen: t.lastSeen, zones: JSON.stringify(t.zones), best: JSON.stringify(t.best) });
  }

  /** The camera's track with this id that was seen at `at` (give or take `slackMs` after its last sighting). */
  seenAt(cameraId: string, trackId: number, at: number, slackMs: number): StoredTrack | undefined {
    const row = this.around.get({ cameraId, trackId, at, slackMs }) as TrackRow | undefined;
    if (!row) return undefined;
    return { ...row, zones: JSON.parse(row.zones) as unknown, best: row.best ? (JSON.parse(row.best) as unknown) : null };
  }

  /** Events of the track that started between `from` and `to`, oldest first, at most 50. */
  events(cameraId: string, trackId: number, from: number, to: number): TrackEvent[] {
    return this.eventsOfTrack.all({ cameraId, trackId, from, to }) as TrackEvent[];
  }
}

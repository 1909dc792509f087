import type { Db } from './db';

/** One zone's figures for one minute (the pipeline's MinuteStat). */
export interface QueueStatRow {
  cameraId: string;
  zoneId: string;
  minute: number;
  avgCount: number;
  maxCount: number;
  departures: number;
  estWaitSeconds: number | null;
  occupiedRatio: number | null;
  /** Line zones only: people who crossed the line inwards / outwards in this minute (null for other zones). */
  crossingsIn?: number | null;
  crossingsOut?: number | null;
}

/** A queue_stats row as the API serves it: camera and zone under their short names. */
export type QueueStatPoint = Omit<QueueStatRow, 'cameraId' | 'zoneId'> & { camera: string; zone: string };

export interface QueueStatFilter {
  camera?: string;
  zone?: string;
  /** Minutes since the epoch, both ends included. */
  fromMinute: number;
  toMinute: number;
}

/** Per-minute queue statistics (the queue_stats table): the last write for a zone's minute wins. */
export class QueueStatStore {
  private readonly upsertStat;
  private readonly seriesOf;

  constructor(db: Db) {
    this.upsertStat = db.prepare(
      `INSERT INTO queue_stats VALUES (@cameraId, @zoneId, @minute, @avgCount, @maxCount, @departures, @estWaitSeconds, @occupiedRatio)
       ON CONFLICT (camera_id, zone_id, minute) DO UPDATE SET avg_count = excluded.avg_count, max_count = excluded.max_count,
       departures = excluded.departures, est_wait_s = excluded.est_wait_s, occupied_ratio = excluded.occupied_ratio`,
    );
    this.seriesOf = db.prepare(
      `SELECT camera_id AS camera, zone_id AS zone, minute, avg_count AS avgCount, max_count AS maxCount, departures, est_wait_s AS estWaitSeconds, occupied_ratio AS occupiedRatio
       FROM queue_stats WHERE (@camera IS NULL OR camera_id = @camera) AND (@zone IS NULL OR zone_id = @zone)
       AND minute >= @from AND minute <= @to ORDER BY camera_id, zone_id, minute LIMIT 10000`,
    );
  }

  upsert(stat: QueueStatRow): void {
    const { cameraId, zoneId, minute, avgCount, maxCount, departures, estWaitSeconds, occupiedRatio } = stat;
    this.upsertStat.run({ cameraId, zoneId, minute, avgCount, maxCount, departures, estWaitSeconds, occupiedRatio });
  }

  /** Rows ordered by camera, zone and minute, at most 10 000. */
  series(filter: QueueStatFilter): QueueStatPoint[] {
    return this.seriesOf.all({ camera: filter.camera ?? null, zone: filter.zone ?? null, from: filter.fromMinute, to: filter.toMinute }) as QueueStatPoint[];
  }
}

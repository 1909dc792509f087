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

/** A queue_stats row as the API serves it: camera and zone under their short names, crossings null for zones that are not lines. */
export type QueueStatPoint = Omit<QueueStatRow, 'cameraId' | 'zoneId' | 'crossingsIn' | 'crossingsOut'> & {
  camera: string;
  zone: string;
  crossingsIn: number | null;
  crossingsOut: number | null;
};

/** Line-zone crossings summed over a slot of `slotMinutes` minutes starting at `minute`. */
export interface CrossingSlot {
  camera: string;
  zone: string;
  /** Minutes since the epoch: the slot's first minute. */
  minute: number;
  crossingsIn: number;
  crossingsOut: number;
}

export interface CrossingFilter extends QueueStatFilter {
  /** Slot length in minutes (1: per minute); slots are aligned to the epoch. */
  slotMinutes: number;
}

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
  private readonly crossingsOf;

  constructor(db: Db) {
    this.upsertStat = db.prepare(
      `INSERT INTO queue_stats (camera_id, zone_id, minute, avg_count, max_count, departures, est_wait_s, occupied_ratio, crossings_in, crossings_out)
       VALUES (@cameraId, @zoneId, @minute, @avgCount, @maxCount, @departures, @estWaitSeconds, @occupiedRatio, @crossingsIn, @crossingsOut)
       ON CONFLICT (camera_id, zone_id, minute) DO UPDATE SET avg_count = excluded.avg_count, max_count = excluded.max_count,
       departures = excluded.departures, est_wait_s = excluded.est_wait_s, occupied_ratio = excluded.occupied_ratio,
       crossings_in = excluded.crossings_in, crossings_out = excluded.crossings_out`,
    );
    this.seriesOf = db.prepare(
      `SELECT camera_id AS camera, zone_id AS zone, minute, avg_count AS avgCount, max_count AS maxCount, departures, est_wait_s AS estWaitSeconds, occupied_ratio AS occupiedRatio,
       crossings_in AS crossingsIn, crossings_out AS crossingsOut
       FROM queue_stats WHERE (@camera IS NULL OR camera_id = @camera) AND (@zone IS NULL OR zone_id = @zone)
       AND minute >= @from AND minute <= @to ORDER BY camera_id, zone_id, minute LIMIT 10000`,
    );
    // Rows of line zones only (crossings not null); a slot sums its minutes.
    this.crossingsOf = db.prepare(
      `SELECT camera_id AS camera, zone_id AS zone, minute - minute % @slot AS minute,
       COALESCE(SUM(crossings_in), 0) AS crossingsIn, COALESCE(SUM(crossings_out), 0) AS crossingsOut
       FROM queue_stats WHERE (@camera IS NULL OR camera_id = @camera) AND (@zone IS NULL OR zone_id = @zone)
       AND minute >= @from AND minute <= @to AND (crossings_in IS NOT NULL OR crossings_out IS NOT NULL)
       GROUP BY camera_id, zone_id, minute - minute % @slot ORDER BY camera_id, zone_id, minute`,
    );
  }

  upsert(stat: QueueStatRow): void {
    const { cameraId, zoneId, minute, avgCount, maxCount, departures, estWaitSeconds, occupiedRatio } = stat;
    const crossingsIn = stat.crossingsIn ?? null;
    const crossingsOut = stat.crossingsOut ?? null;
    this.upsertStat.run({ cameraId, zoneId, minute, avgCount, maxCount, departures, estWaitSeconds, occupiedRatio, crossingsIn, crossingsOut });
  }

  /** Rows ordered by camera, zone and minute, at most 10 000. */
  series(filter: QueueStatFilter): QueueStatPoint[] {
    return this.seriesOf.all({ camera: filter.camera ?? null, zone: filter.zone ?? null, from: filter.fromMinute, to: filter.toMinute }) as QueueStatPoint[];
  }

  /** Line-zone crossings per slot, ordered by camera, zone and slot (the caller bounds the range). */
  crossings(filter: CrossingFilter): CrossingSlot[] {
    if (!Number.isInteger(filter.slotMinutes) || filter.slotMinutes < 1) throw new RangeError(`slotMinutes must be a whole number of minutes, not ${filter.slotMinutes}`);
    return this.crossingsOf.all({ camera: filter.camera ?? null, zone: filter.zone ?? null, from: filter.fromMinute, to: filter.toMinute, slot: filter.slotMinutes }) as CrossingSlot[];
  }
}

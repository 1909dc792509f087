/**
 * Indexes the scale benchmark found missing. They are PROPOSALS: the benchmark creates them in its
 * own throwaway cluster only, after the baseline, and times the affected answers again; the
 * migration itself is the store owner's (see /tmp/brief16/requests-scale.md).
 */
export interface IndexProposal {
  name: string;
  /** The table it indexes (analysed after the build). */
  table: string;
  sql: string;
  why: string;
  /** Names of the cases (scale-cases.ts) to time again with the index in place. */
  cases: string[];
}

/**
 * None open. The two this benchmark proposed are migrations now: events_camera_started (006) and,
 * instead of queue_stats_line_minute, the quarter-hour rollup queue_slots (008). Creating them
 * again here would fail (the index exists).
 */
export const PROPOSALS: IndexProposal[] = [];

/**
 * Footfall across sites is aggregation-bound (a sort of every line-zone minute in the range), so an
 * index cannot fix it: fewer rows can. This rollup (one row per line zone and quarter hour, the
 * footfall query's own grouping) is built from queue_stats in the benchmark cluster and the SQL
 * read from it timed directly (central has no route reading it: a proposal, not over HTTP).
 */
export const FOOTFALL_ROLLUP = {
  name: 'footfall_slots',
  setup: [
    `CREATE TABLE footfall_slots (site_id TEXT NOT NULL, camera_id TEXT NOT NULL, zone_id TEXT NOT NULL, slot BIGINT NOT NULL,
      crossings_in BIGINT NOT NULL, crossings_out BIGINT NOT NULL, PRIMARY KEY (site_id, camera_id, zone_id, slot))`,
    'CREATE INDEX footfall_slots_slot ON footfall_slots (slot)',
    `INSERT INTO footfall_slots SELECT site_id, camera_id, zone_id, minute - minute % 900000, COALESCE(SUM(crossings_in), 0), COALESCE(SUM(crossings_out), 0)
      FROM queue_stats WHERE crossings_in IS NOT NULL OR crossings_out IS NOT NULL GROUP BY 1, 2, 3, 4`,
    'VACUUM ANALYZE footfall_slots',
  ],
  /** Same rows and order as footfallQuery for a range starting on a quarter hour. */
  query: `SELECT site_id, camera_id, zone_id, slot, crossings_in, crossings_out FROM footfall_slots
    WHERE slot >= $1 AND slot < $2 ORDER BY site_id, camera_id, zone_id, slot LIMIT $3`,
} as const;

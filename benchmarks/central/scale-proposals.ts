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

export const PROPOSALS: IndexProposal[] = [
  {
    name: 'events_camera_started',
    table: 'events',
    sql: 'CREATE INDEX events_camera_started ON events (camera_id, started_at, id)',
    why: 'a camera filter has no index: without a site the planner reads all of events (Seq Scan, 1,000,000 rows for 90); with a site it reads every event of the site through events_site_started and filters',
    cases: ['events: by camera alone', 'events: by site and camera'],
  },
  {
    name: 'queue_stats_line_minute',
    table: 'queue_stats',
    sql: `CREATE INDEX queue_stats_line_minute ON queue_stats (minute) INCLUDE (site_id, camera_id, zone_id, crossings_in, crossings_out)
      WHERE crossings_in IS NOT NULL OR crossings_out IS NOT NULL`,
    why: 'footfall across sites reads every queue_stats row of the range (queue zones too) from the heap; this partial covering index holds only line-zone rows, read index-only',
    cases: ['footfall: all sites, 7 days', 'footfall: all sites, last 24 h', 'footfall: a site, 7 days'],
  },
];

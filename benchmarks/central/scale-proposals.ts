/**
 * Indexes the scale benchmark found missing. They are PROPOSALS: the benchmark creates them in its
 * own throwaway cluster only, after the baseline, and times the affected answers again; the
 * migration itself is the store owner's (see /tmp/brief16/requests-scale.md).
 */
export interface IndexProposal {
  name: string;
  sql: string;
  why: string;
  /** Names of the cases (scale-cases.ts) to time again with the index in place. */
  cases: string[];
}

export const PROPOSALS: IndexProposal[] = [
  {
    name: 'events_camera_started',
    sql: 'CREATE INDEX events_camera_started ON events (camera_id, started_at, id)',
    why: 'a camera filter has no index: without a site it walks events_started backwards through every camera; with a site, through the whole site',
    cases: ['events: by camera alone', 'events: by site and camera'],
  },
];

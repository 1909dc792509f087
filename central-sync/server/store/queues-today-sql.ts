import type { SqlRow, SqlRunner } from './sql-runner';
export { siteNames } from './site-names-sql';

/** One camera zone's quarter hours summed over a range (rows of queue_slots, migration 008). */
export interface ZoneSums {
  siteId: string;
  cameraId: string;
  zoneId: string;
  minutes: number;
  crossingRows: number;
  crossingsIn: number;
  crossingsOut: number;
  waitSum: number;
  waitN: number;
  waitMax: number | null;
  peak: number;
  countSum: number;
  lastMinute: number;
  receivedAt: number;
}

/** One zone's quarter hour. */
export interface ZoneSlot extends ZoneSums {
  slot: number;
}

const SUMS = `SUM(minutes) AS minutes, SUM(crossing_rows) AS crossing_rows, SUM(crossings_in) AS crossings_in, SUM(crossings_out) AS crossings_out,
  SUM(wait_sum) AS wait_sum, SUM(wait_n) AS wait_n, MAX(wait_max) AS wait_max, MAX(peak) AS peak, SUM(count_sum) AS count_sum,
  MAX(last_minute) AS last_minute, MAX(received_at) AS received_at`;

const n = (v: unknown): number => Number(v ?? 0);
const nOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toSums(r: SqlRow): ZoneSums {
  return {
    siteId: String(r.site_id),
    cameraId: String(r.camera_id),
    zoneId: String(r.zone_id),
    minutes: n(r.minutes),
    crossingRows: n(r.crossing_rows),
    crossingsIn: n(r.crossings_in),
    crossingsOut: n(r.crossings_out),
    waitSum: n(r.wait_sum),
    waitN: n(r.wait_n),
    waitMax: nOrNull(r.wait_max),
    peak: n(r.peak),
    countSum: n(r.count_sum),
    lastMinute: n(r.last_minute),
    receivedAt: n(r.received_at),
  };
}

/**
 * Every site's zones summed over the slots that start in [from, to). Reads the index range
 * queue_slots_slot (slot, site_id) for those slots: at 500 sites with 3 zones each a day is 144,000
 * index entries, grouped to 1,500 rows; the site names are then read by the sites primary key.
 */
export async function zonesOfAllSites(sql: SqlRunner, from: number, to: number): Promise<ZoneSums[]> {
  const rows = await sql.all(
    `SELECT site_id, camera_id, zone_id, ${SUMS} FROM queue_slots WHERE slot >= ? AND slot < ?
     GROUP BY site_id, camera_id, zone_id ORDER BY site_id, camera_id, zone_id`,
    [from, to],
  );
  return rows.map(toSums);
}

/** One site's quarter hours per zone: a range of queue_slots_site_slot (site_id, slot) (migration 010). */
export async function slotsOfSite(sql: SqlRunner, siteId: string, from: number, to: number): Promise<ZoneSlot[]> {
  const rows = await sql.all(
    `SELECT site_id, camera_id, zone_id, slot, minutes, crossing_rows, crossings_in, crossings_out, wait_sum, wait_n, wait_max, peak, count_sum, last_minute, received_at
     FROM queue_slots WHERE site_id = ? AND slot >= ? AND slot < ? ORDER BY camera_id, zone_id, slot`,
    [siteId, from, to],
  );
  return rows.map((r) => ({ ...toSums(r), slot: n(r.slot) }));
}

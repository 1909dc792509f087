import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { caseSql } from './scale-plan';

/**
 * Seeds a central database (migrated by the central itself) at province scale, writing the rows
 * central's ingest would write: sites, used enrolment tokens, gateways, events (with their `end`
 * update applied: data merged, updated_at/ended_at set), every record behind them in `records`,
 * queue_stats (queue and line zones), their quarter-hour rollup queue_slots, gateway_sync, 7 days of
 * throughput trend slots (gateway_perf), 200,000 audit entries and 50 console users. The rows are generated inside PostgreSQL
 * (INSERT ... SELECT over generate_series): 1,000,000 events do not cross the wire. Heartbeats
 * (camera_health, heartbeats) are not seeded here: scale.ts sends them, signed, over HTTP.
 */
export interface SeedSizes {
  gateways: number;
  gatewaysPerSite: number;
  camerasPerGateway: number;
  events: number;
  days: number;
  /** Every n-th gateway has a queue zone and an entrance line zone on its first camera. */
  queueEvery: number;
  queueDays: number;
  /** Also write the `records` rows behind events and queue stats (what central keeps as received). */
  records: boolean;
}

export interface SeededGateway {
  n: number;
  id: string;
  siteId: string;
  secret: string;
  cameras: string[];
}

export interface SeedResult {
  gateways: SeededGateway[];
  sites: string[];
  /** Sites with queue and line zones. */
  queueSites: string[];
  now: number;
  start: number;
  steps: Record<string, number>;
  rows: Record<string, number>;
}

export const EVENT_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['loitering', 35],
  ['queue_long', 25],
  ['crowding', 15],
  ['queue_full', 10],
  ['camera_offline', 8],
  ['camera_tampered', 5],
  ['watchlist_match', 2],
];
export const SEVERITY_MIX: ReadonlyArray<readonly [string, number]> = [
  ['low', 55],
  ['medium', 33],
  ['high', 12],
];

const MINUTE = 60_000;
const DAY = 86_400_000;

export const cameraId = (gatewayN: number, k: number) => `cam-${String(gatewayN).padStart(4, '0')}-${String(k).padStart(2, '0')}`;

export async function seed(databaseUrl: string, s: SeedSizes, log: (line: string) => void): Promise<SeedResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const steps: Record<string, number> = {};
  const step = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    steps[name] = Math.round((performance.now() - t0) / 100) / 10;
    log(`  seed ${name}: ${steps[name]} s`);
  };
  try {
    const now = Date.now();
    // Events end a few minutes before now: central refuses times past its clock.
    const end = now - 5 * MINUTE;
    const start = end - s.days * DAY;
    const siteCount = Math.ceil(s.gateways / s.gatewaysPerSite);
    const sites = Array.from({ length: siteCount }, (_, i) => `site-${String(i).padStart(4, '0')}`);
    const gateways: SeededGateway[] = Array.from({ length: s.gateways }, (_, n) => ({
      n,
      id: randomUUID(),
      siteId: sites[Math.floor(n / s.gatewaysPerSite)]!,
      secret: randomBytes(32).toString('base64url'),
      cameras: Array.from({ length: s.camerasPerGateway }, (_, k) => cameraId(n, k)),
    }));
    const enrolledAt = start - 7 * DAY;
    await step('sites, tokens, gateways', async () => {
      await client.query('BEGIN');
      await client.query('INSERT INTO sites (id, name, created_at) SELECT id, name, $3 FROM unnest($1::text[], $2::text[]) AS t(id, name)', [
        sites,
        sites.map((id, i) => `Chi nhánh ${i + 1} (${id})`),
        enrolledAt,
      ]);
      await client.query(
        `INSERT INTO enrolment_tokens (digest, site_id, created_at, expires_at, used_at, gateway_id)
         SELECT d, site, $3::bigint, $3::bigint + 86400000, $3::bigint + 60000, gw FROM unnest($1::text[], $2::text[], $4::text[]) AS t(d, site, gw)`,
        [gateways.map(() => createHash('sha256').update(randomBytes(32)).digest('hex')), gateways.map((g) => g.siteId), enrolledAt, gateways.map((g) => g.id)],
      );
      await client.query(
        `INSERT INTO gateways (id, site_id, name, secret, created_at) SELECT id, site, name, secret, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, site, name, secret)`,
        [gateways.map((g) => g.id), gateways.map((g) => g.siteId), gateways.map((g) => `gateway-${g.n}`), gateways.map((g) => g.secret), enrolledAt + MINUTE],
      );
      await client.query('COMMIT');
    });
    await client.query('CREATE TEMP TABLE seed_gw (n int PRIMARY KEY, id text NOT NULL, site_id text NOT NULL)');
    await client.query('INSERT INTO seed_gw SELECT * FROM unnest($1::int[], $2::text[], $3::text[])', [gateways.map((g) => g.n), gateways.map((g) => g.id), gateways.map((g) => g.siteId)]);

    const perGateway = Math.ceil(s.events / s.gateways);
    await step('event rows (temp)', async () => {
      await client.query('SELECT setseed(0.16)');
      // The k-th event of a gateway falls in the k-th slice of the window (jittered): a gateway's
      // seq order is its time order, as on a real gateway.
      await client.query(
        `CREATE TEMP TABLE seed_ev AS
         SELECT n, gateway_id, site_id, k, uid, camera_id, zone_id,
           ${caseSql('r_type', EVENT_TYPES)} AS type, ${caseSql('r_sev', SEVERITY_MIX)} AS severity, at, dur_s, people,
           CASE WHEN at + dur_s * 1000 <= $6::bigint THEN at + dur_s * 1000 END AS ended_at
         FROM (
           SELECT gw.n, gw.id AS gateway_id, gw.site_id, k, 'e-' || k AS uid,
             'cam-' || lpad(gw.n::text, 4, '0') || '-' || lpad(floor(random() * $4)::int::text, 2, '0') AS camera_id,
             'zone-' || (k % 3) AS zone_id, random() AS r_type, random() AS r_sev,
             ($1::bigint + floor((k + random() * 0.9) * $2::float8 / $3))::bigint AS at,
             floor(random() * 900)::int + 5 AS dur_s, floor(random() * 9)::int AS people
           FROM seed_gw gw CROSS JOIN generate_series(0, $3 - 1) AS k
           WHERE gw.n * $3 + k < $5
         ) AS drawn`,
        [start, s.days * DAY, perGateway, s.camerasPerGateway, s.events, end],
      );
    });
    await step('events', () =>
      client.query(
        `INSERT INTO events (site_id, gateway_id, uid, camera_id, zone_id, type, severity, started_at, updated_at, ended_at, data)
         SELECT site_id, gateway_id, uid, camera_id, zone_id, type, severity, at, COALESCE(ended_at, at), ended_at,
           jsonb_build_object('people', people, 'dwellS', CASE WHEN ended_at IS NULL THEN 0 ELSE dur_s END, 'zoneName', 'Sảnh chính', 'box', jsonb_build_array(0.12, 0.3, 0.2, 0.44))
         FROM seed_ev ORDER BY at`,
      ),
    );
    if (s.records) {
      await step('records (events and their end updates)', () =>
        client.query(
          `INSERT INTO records (gateway_id, seq, kind, at, received_at, payload)
           SELECT gateway_id, 2 * k + 1, 'event', at, at + 800, jsonb_build_object('uid', uid, 'cameraId', camera_id, 'zoneId', zone_id, 'trackId', k, 'type', type,
             'severity', severity, 'at', at, 'data', jsonb_build_object('people', people, 'dwellS', 0, 'zoneName', 'Sảnh chính', 'box', jsonb_build_array(0.12, 0.3, 0.2, 0.44)))
           FROM seed_ev
           UNION ALL
           SELECT gateway_id, 2 * k + 2, 'event_update', ended_at, ended_at + 800, jsonb_build_object('uid', uid, 'at', ended_at, 'phase', 'end', 'data', jsonb_build_object('people', people, 'dwellS', dur_s))
           FROM seed_ev WHERE ended_at IS NOT NULL`,
        ),
      );
    }
    const lastMinute = Math.floor(end / MINUTE) * MINUTE;
    const minutes = s.queueDays * 1440;
    const queueSeq0 = 2 * perGateway + 1;
    await step('queue stats', async () => {
      await client.query(
        `CREATE TEMP TABLE seed_qs AS
         SELECT gw.id AS gateway_id, gw.site_id, 'cam-' || lpad(gw.n::text, 4, '0') || '-00' AS camera_id, z.zone_id, z.line,
           $1::bigint - m * 60000::bigint AS minute, m, z.line_no,
           round((random() * 6)::numeric, 2)::float8 AS avg_count, floor(random() * 9)::int AS max_count, floor(random() * 5)::int AS departures,
           floor(random() * 400)::int AS est_wait, round(random()::numeric, 3)::float8 AS occupied, floor(random() * 12)::int AS c_in, floor(random() * 12)::int AS c_out
         FROM seed_gw gw CROSS JOIN (VALUES ('queue-1', false, 0), ('entrance', true, 1)) AS z(zone_id, line, line_no) CROSS JOIN generate_series(0, $2 - 1) AS m
         WHERE gw.n % $3 = 0`,
        [lastMinute, minutes, s.queueEvery],
      );
      await client.query(
        `INSERT INTO queue_stats (site_id, camera_id, zone_id, minute, gateway_id, avg_count, max_count, departures, est_wait_s, occupied_ratio, received_at, crossings_in, crossings_out)
         SELECT site_id, camera_id, zone_id, minute, gateway_id,
           CASE WHEN line THEN 0 ELSE avg_count END, CASE WHEN line THEN 0 ELSE max_count END, CASE WHEN line THEN 0 ELSE departures END,
           CASE WHEN line THEN NULL ELSE est_wait END, CASE WHEN line THEN NULL ELSE occupied END, minute + 61000,
           CASE WHEN line THEN c_in END, CASE WHEN line THEN c_out END
         FROM seed_qs ORDER BY minute`,
      );
      if (s.records) {
        await client.query(
          `INSERT INTO records (gateway_id, seq, kind, at, received_at, payload)
           SELECT gateway_id, $1 + 2 * m + line_no, 'queue_stat', minute + 60000, minute + 61000,
             CASE WHEN line THEN jsonb_build_object('cameraId', camera_id, 'zoneId', zone_id, 'minute', minute, 'avgCount', 0, 'maxCount', 0, 'departures', 0,
               'estWaitS', NULL, 'occupiedRatio', NULL, 'crossingsIn', c_in, 'crossingsOut', c_out)
             ELSE jsonb_build_object('cameraId', camera_id, 'zoneId', zone_id, 'minute', minute, 'avgCount', avg_count, 'maxCount', max_count, 'departures', departures,
               'estWaitS', est_wait, 'occupiedRatio', occupied) END
           FROM seed_qs`,
          [queueSeq0],
        );
      }
    });
    await step('gateway_sync', () =>
      client.query(
        s.records
          ? `INSERT INTO gateway_sync (gateway_id, highest_seq, last_received_at, records_total)
             SELECT gateway_id, max(seq), max(received_at), count(*) FROM records GROUP BY gateway_id`
          : `INSERT INTO gateway_sync (gateway_id, highest_seq, last_received_at, records_total)
             SELECT gateway_id, 2 * max(k) + 2, max(at), 2 * count(*) FROM seed_ev GROUP BY gateway_id`,
      ),
    );
    // The quarter-hour rollup ingest keeps (migration 008); written here as migration 008's backfill does.
    await step('queue_slots (rollup)', () =>
      client.query(
        `INSERT INTO queue_slots (site_id, camera_id, zone_id, slot, minutes, crossing_rows, crossings_in, crossings_out, wait_sum, wait_n, wait_max, peak, count_sum, last_minute, received_at)
         SELECT site_id, camera_id, zone_id, minute - minute % 900000, COUNT(*),
           SUM(CASE WHEN crossings_in IS NOT NULL OR crossings_out IS NOT NULL THEN 1 ELSE 0 END),
           COALESCE(SUM(crossings_in), 0), COALESCE(SUM(crossings_out), 0),
           COALESCE(SUM(est_wait_s), 0), COUNT(est_wait_s), MAX(est_wait_s), MAX(max_count), SUM(avg_count), MAX(minute), MAX(received_at)
         FROM queue_stats GROUP BY site_id, camera_id, zone_id, minute - minute % 900000`,
      ),
    );
    // Throughput trends: 7 days (what retention keeps) of half-hour slots per gateway, as heartbeats with a summary leave them.
    await step('gateway_perf (7 days of trend slots)', () =>
      client.query(
        `INSERT INTO gateway_perf (gateway_id, slot, samples, detections_sum, frames_sum, target_fps_sum, cpu_sum, streaming_sum, received_at)
         SELECT gw.id, s.slot, 60, 60 * (20 + 10 * random()), 60 * 50, 60 * 50, 60 * (0.3 + 0.5 * random()), 600, s.slot + 1799000
         FROM seed_gw gw CROSS JOIN (SELECT ($1::bigint - $1::bigint % 1800000) - k * 1800000::bigint AS slot FROM generate_series(1, 336) AS k) AS s`,
        [now],
      ),
    );
    // The console's audit trail: 30 days of 20 operators' logins and changes (200,000 entries), and 50 console users.
    await step('audit_log, console_users', async () => {
      await client.query(
        `INSERT INTO audit_log (at, actor, action, target, detail)
         SELECT $1::bigint - floor(random() * $2::float8)::bigint, 'ops-' || (k % 20), CASE WHEN k % 10 = 0 THEN 'gateway.revoke' ELSE 'console.login' END, NULL, '{"via":"password"}'::jsonb
         FROM generate_series(1, 200000) AS k`,
        [now, s.days * DAY],
      );
      await client.query(
        `INSERT INTO console_users (name, role, password_hash, created_at, updated_at)
         SELECT 'user-' || k, (ARRAY['security', 'ops', 'admin'])[1 + k % 3], 'scrypt$bench$not-a-real-hash', $1, $1 FROM generate_series(1, 50) AS k`,
        [enrolledAt],
      );
    });
    await step('vacuum analyze', async () => {
      for (const t of ['events', 'records', 'queue_stats', 'queue_slots', 'gateway_perf', 'audit_log', 'console_users', 'gateways', 'sites', 'gateway_sync', 'enrolment_tokens']) await client.query(`VACUUM ANALYZE ${t}`);
    });
    const rows: Record<string, number> = {};
    for (const t of ['sites', 'gateways', 'events', 'records', 'queue_stats', 'queue_slots', 'gateway_perf', 'audit_log', 'gateway_sync']) rows[t] = Number((await client.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    const queueSites = [...new Set(gateways.filter((g) => g.n % s.queueEvery === 0).map((g) => g.siteId))];
    return { gateways, sites, queueSites, now, start, steps, rows };
  } finally {
    await client.end();
  }
}

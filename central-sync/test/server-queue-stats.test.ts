import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type CentralServer } from '../server';
import { loadMigrations, SCHEMA_MIGRATIONS_DDL } from '../server/store/migrations';
import { PATHS, type SyncRecord } from '../wire';
import { ADMIN_TOKEN, api, BACKENDS, batch, enrolGateway, sendSigned, skipBackend, startTestServer, useDatabases, type BackendName, type TestGateway } from './helpers/central';

const dbs = useDatabases();
const MINUTE = Date.UTC(2026, 10, 30, 9, 15);

const stat = (seq: number, avgCount: number, minute = MINUTE): SyncRecord => ({
  seq,
  kind: 'queue_stat',
  at: minute + 60_000,
  payload: { cameraId: 'cam0', zoneId: 'q1', minute, avgCount, maxCount: 4, departures: 2, estWaitS: 60, occupiedRatio: 0.5 },
});

/** A database as migrations up to `version` left it, plus `seed` run on it (to test what a later migration does to old rows). */
async function databaseAt(backend: BackendName, version: number, seed: string): Promise<string> {
  const url = await dbs.fresh(backend);
  const sql = [SCHEMA_MIGRATIONS_DDL(backend === 'sqlite' ? 'sqlite' : 'postgres')];
  for (const m of loadMigrations(backend === 'sqlite' ? 'sqlite' : 'postgres').filter((x) => x.version <= version)) {
    sql.push(m.sql, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, '${m.name}', 0)`);
  }
  sql.push(seed);
  if (backend === 'sqlite') {
    const db = new Database(url.slice('sqlite:'.length));
    db.exec(sql.join(';\n'));
    db.close();
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(sql.join(';\n'));
    await client.end();
  }
  return url;
}

describe.each(BACKENDS)('queue statistics per gateway on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  let entrance: TestGateway;
  let exit: TestGateway;

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend));
    entrance = await enrolGateway(server.url, 'twin');
    exit = await enrolGateway(server.url, 'twin');
  });
  afterAll(() => server?.close());

  const series = async (query = '') =>
    (await api(server.url, 'GET', `/v1/queue-stats?site=twin&from=${MINUTE}&to=${MINUTE + 10 * 60_000}${query}`, ADMIN_TOKEN)).json.series as Array<Record<string, unknown>>;

  it('keeps both rows when two gateways of one site report the same camera, zone and minute', async () => {
    expect((await sendSigned(server.url, PATHS.ingest, entrance, batch(entrance.id, [stat(1, 1.5)]))).json).toMatchObject({ stored: 1 });
    expect((await sendSigned(server.url, PATHS.ingest, exit, batch(exit.id, [stat(1, 7.25)]))).json).toMatchObject({ stored: 1 });
    const rows = await series();
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.gatewayId, r.avgCount]).sort()).toEqual([[entrance.id, 1.5], [exit.id, 7.25]].sort());
    expect(rows.every((r) => r.siteId === 'twin' && r.cameraId === 'cam0' && r.zoneId === 'q1' && r.minute === MINUTE)).toBe(true);
    // A gateway correcting its own minute replaces only its own row.
    expect((await sendSigned(server.url, PATHS.ingest, exit, batch(exit.id, [stat(2, 8)]))).json).toMatchObject({ stored: 1 });
    expect((await series()).map((r) => [r.gatewayId, r.avgCount]).sort()).toEqual([[entrance.id, 1.5], [exit.id, 8]].sort());
    expect(await series(`&gateway=${exit.id}`)).toEqual([expect.objectContaining({ gatewayId: exit.id, avgCount: 8 })]);
  });

  it('keeps the rows a site had before the migration, each under the gateway that wrote it', async () => {
    const url = await databaseAt(
      backend,
      2,
      `INSERT INTO queue_stats (site_id, camera_id, zone_id, minute, gateway_id, avg_count, max_count, departures, est_wait_s, occupied_ratio, received_at)
       VALUES ('old', 'cam0', 'q1', ${MINUTE}, 'gw-old', 2.5, 3, 1, 45, 0.25, ${MINUTE + 61_000})`,
    );
    const store = await openStore(url);
    try {
      expect(await store.queueStats({ siteId: 'old', from: MINUTE, to: MINUTE + 60_000, limit: 10 })).toEqual([
        // Migration 004 gives the old row null crossings (it was never a counted line).
        { siteId: 'old', gatewayId: 'gw-old', cameraId: 'cam0', zoneId: 'q1', minute: MINUTE, avgCount: 2.5, maxCount: 3, departures: 1, estWaitS: 45, occupiedRatio: 0.25, crossingsIn: null, crossingsOut: null },
      ]);
      // And the migrated table keys by gateway: another gateway's row for that minute is added, not merged.
      await store.ingest({ gatewayId: 'gw-new', siteId: 'old', receivedAt: MINUTE + 70_000, records: [stat(1, 9)] });
      expect((await store.queueStats({ siteId: 'old', from: MINUTE, to: MINUTE + 60_000, limit: 10 })).map((r) => [r.gatewayId, r.avgCount])).toEqual([
        ['gw-new', 9],
        ['gw-old', 2.5],
      ]);
    } finally {
      await store.close();
    }
  });
});

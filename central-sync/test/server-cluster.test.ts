import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../server';
import { loadMigrations } from '../server/store/migrations';
import { PATHS, WIRE_VERSION } from '../wire';
import { ADMIN_TOKEN, api, batch, enrolGateway, mixedRecords, sendSigned, skipBackend, useDatabases, type TestGateway } from './helpers/central';
import { spawnCentral, type CentralProcess } from './helpers/central-process';

const dbs = useDatabases();

describe.skipIf(skipBackend('postgres'))('two central instances on one PostgreSQL', () => {
  let a: CentralProcess;
  let b: CentralProcess;
  let databaseUrl: string;
  let gw: TestGateway;

  beforeAll(async () => {
    databaseUrl = await dbs.fresh('postgres');
    // Started together on an empty database: the migration advisory lock lets one migrate.
    const started = await Promise.all([0, 1].map(() => spawnCentral({ DATABASE_URL: databaseUrl, CENTRAL_ADMIN_TOKEN: ADMIN_TOKEN })));
    [a, b] = [started[0]!, started[1]!];
    gw = await enrolGateway(a.url, 'cluster-site');
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('migrated the schema once', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const rows = (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows as Array<{ version: number }>;
      expect(rows.map((r) => r.version)).toEqual(loadMigrations('postgres').map((m) => m.version));
    } finally {
      await client.end();
    }
    for (const p of [a, b]) expect((await api(p.url, 'GET', '/healthz', undefined)).json).toMatchObject({ status: 'ok', database: 'postgres' });
  });

  it('stores each record exactly once when both instances receive the same batches at once', async () => {
    const batches = Array.from({ length: 10 }, (_, i) => mixedRecords(1 + i * 200, 200));
    const replies = await Promise.all(batches.flatMap((records) => [a, b].map((p) => sendSigned(p.url, PATHS.ingest, gw, batch(gw.id, records), { gzip: true }))));
    for (const r of replies) expect(r.status).toBe(200);
    for (let i = 0; i < batches.length; i++) {
      const [x, y] = [replies[2 * i]!.json, replies[2 * i + 1]!.json];
      expect(Number(x.stored) + Number(y.stored), `batch ${i}`).toBe(200);
      expect(Number(x.duplicates) + Number(y.duplicates), `batch ${i}`).toBe(200);
    }
    const store = await openStore(databaseUrl);
    try {
      expect(await store.recordCount(gw.id)).toBe(2000);
      const fleet = await store.fleet();
      // records_total grows by what each transaction stored: a double insert would show here.
      expect(fleet.find((f) => f.gatewayId === gw.id)?.sync).toMatchObject({ highestSeq: 2000, recordsTotal: 2000 });
      const events = await store.listEvents({ siteId: 'cluster-site', limit: 10_000 });
      expect(events).toHaveLength(500);
      expect(new Set(events.map((e) => e.uid)).size).toBe(500);
      expect(events.find((e) => e.uid === 'ev-1000')?.data).toEqual({ n: 1000, dwellS: 1001 });
    } finally {
      await store.close();
    }
  });

  it('shares nonces and revocations through the database', async () => {
    const records = mixedRecords(5001, 4);
    const first = await sendSigned(a.url, PATHS.ingest, gw, batch(gw.id, records));
    expect(first.status).toBe(200);
    const replayed = await sendSigned(b.url, PATHS.ingest, gw, batch(gw.id, records), { headers: first.headers });
    expect(replayed).toMatchObject({ status: 401, json: { field: 'x-nonce' } });

    const hb = { version: WIRE_VERSION, gatewayId: gw.id, at: Date.now(), cameras: [], backlog: 0, oldestUnsentAt: null, dropped: 0 };
    expect((await sendSigned(b.url, PATHS.heartbeat, gw, hb)).status).toBe(200);
    expect((await api(a.url, 'POST', `/v1/admin/gateways/${gw.id}/revoke`, ADMIN_TOKEN)).status).toBe(200);
    expect((await sendSigned(b.url, PATHS.heartbeat, gw, hb)).status).toBe(401);
    expect((await sendSigned(b.url, PATHS.ingest, gw, batch(gw.id, mixedRecords(6001, 2)))).status).toBe(401);
  });

  it('logs no secrets', () => {
    const log = [...a.lines, ...b.lines].join('\n');
    expect(log).toContain('gateway enrolled');
    expect(log).not.toContain(gw.secret);
    expect(log).not.toContain(ADMIN_TOKEN);
  });
});

describe('central main', () => {
  it('refuses a bad configuration with a message and exit code 1', async () => {
    await expect(spawnCentral({ PORT: 'eighty' })).rejects.toThrow(/exited with 1[\s\S]*PORT/);
    await expect(spawnCentral({ DATABASE_URL: 'mysql://x' })).rejects.toThrow(/exited with 1[\s\S]*DATABASE_URL must start with/);
  });

  it('starts on SQLite from DATABASE_URL and answers health', async () => {
    const p = await spawnCentral({ DATABASE_URL: await dbs.fresh('sqlite') });
    try {
      expect((await api(p.url, 'GET', '/healthz', undefined)).json).toMatchObject({ status: 'ok', database: 'sqlite' });
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });
});

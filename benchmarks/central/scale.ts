/**
 * `npx tsx benchmarks/central/scale.ts`: the central's read API at province scale (issue 16). A
 * throwaway PostgreSQL cluster (durable settings, as deployed), the central as its own process on
 * it, seeded with 1,000 gateways (500 sites), 10,000 cameras (states and performance summaries sent
 * as signed wire v3 heartbeats over HTTP; every 100th gateway never beats, every 40th is made stale,
 * every 200th revoked), 1,000,000 events over 30 days with the records behind them, a day of queue
 * stats for every 5th gateway (a queue zone and an entrance line zone) with their quarter-hour
 * rollup, 7 days of throughput trend slots and 200,000 audit entries (scale-seed.ts). Then every
 * API answer the console's pages read (scale-cases.ts, scale-console-cases.ts) is timed over HTTP
 * with an API token (p50, p95, max of several runs), and the statements behind each are EXPLAINed
 * (ANALYZE, BUFFERS): which index they read, any sequential scan of a big table. With --proposals,
 * the indexes of scale-proposals.ts are created in this cluster only and the affected answers timed
 * again, reported apart as a proposal (the earlier ones are migrations 006 and 008 now).
 *
 * Flags: --events N (default 1000000), --gateways N (1000), --runs N (20), --no-records (skip the
 * `records` rows behind events: faster seeding), --queue-days N (default 1), --proposals,
 * --tag T names the report benchmarks/results/central-scale-T-<date>-<host>.{json,md} (default: no tag).
 * Writes benchmarks/results/central-scale-<date>-<host>.{json,md}.
 */
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { PATHS, signedHeaders } from '../../central-sync/wire';
import { spawnCentral, type CentralProcess } from '../lib/central-process';
import { deviceInfo } from '../lib/device';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../lib/postgres';
import { isMain, runBenchmark } from '../lib/results';
import { summarizePlan, summarize } from './scale-plan';
import { scaleCases, type ScaleCase } from './scale-cases';
import { consoleCases } from './scale-console-cases';
import { recordingRunner } from './scale-recorder';
import { FOOTFALL_ROLLUP, PROPOSALS } from './scale-proposals';
import { footfallQuery, numbered } from '../../central-sync/server/store/queries';
import { seed, type SeedResult, type SeedSizes } from './scale-seed';
import { scanList, writeScaleReport, type CaseResult, type ScaleReport } from './scale-report';

const ADMIN = 'bench-admin-token-0123456789abcdef';
const BIG_TABLES = ['events', 'records', 'queue_stats', 'pending_event_updates', 'nonces'];
const TARGET_MS = 300;

const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function heartbeats(url: string, seeded: SeedResult): Promise<number> {
  const t0 = performance.now();
  const states = (n: number, k: number) => (n % 97 === 3 && k === 1 ? { state: 'failed', reason: 'rtsp: 401 Unauthorized' } : (n + k) % 53 === 0 ? { state: 'reconnecting', reason: 'no frames for 10 s' } : { state: 'streaming', reason: null });
  const send = async (i: number) => {
    const g = seeded.gateways[i]!;
    const cameras = g.cameras.map((id, k) => ({ id, ...states(g.n, k) }));
    const body = gzipSync(
      JSON.stringify({ version: 3, gatewayId: g.id, at: Date.now(), cameras, backlog: g.n % 50 === 0 ? 1200 : 0, oldestUnsentAt: g.n % 50 === 0 ? Date.now() - 600_000 : null, dropped: 0, perf: perfOf(g.n, cameras.filter((c) => c.state === 'streaming').length, cameras.length) }),
    );
    const res = await fetch(`${url}${PATHS.heartbeat}`, {
      method: 'POST',
      headers: { ...signedHeaders(g.id, g.secret, 'POST', PATHS.heartbeat, body, Date.now()), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body,
    });
    if (res.status !== 200) throw new Error(`heartbeat of gateway ${g.n} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
  };
  // Eight gateways at a time, as heartbeats arrive spread over a minute in the field; every
  // 100th gateway never beats (enrolled, never seen).
  const beating = seeded.gateways.map((_, i) => i).filter((i) => seeded.gateways[i]!.n % 100 !== 99);
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < beating.length) await send(beating[next++]!);
  }));
  return Math.round((performance.now() - t0) / 100) / 10;
}

/**
 * A heartbeat's performance summary (wire version 3): the device's bench sustained 6 to 16 cameras,
 * so gateways with 10 streaming rank from headroom 6 down to −4 (overloaded), and every 23rd drops
 * frames.
 */
function perfOf(n: number, streaming: number, configured: number) {
  const targetFps = streaming * 5;
  return {
    device: { cores: 4 + (n % 4) * 4, cpuModel: n % 3 === 0 ? 'Intel(R) Core(TM) i5-1135G7 @ 2.40GHz' : 'Intel(R) Xeon(R) E-2388G CPU @ 3.20GHz', memoryMiB: 16_384, provider: 'cpu' },
    cameras: { configured, streaming },
    detectionsPerSec: Math.round(targetFps * 0.7 * 10) / 10,
    framesPerSec: n % 23 === 0 ? Math.round(targetFps * 0.5) : targetFps,
    targetFps,
    efficiency: n % 23 === 0 ? 0.5 : 1,
    inferenceMs: { p50: 18 + (n % 7), p99: 40 + (n % 13) },
    cpu: Math.round((0.3 + (n % 10) / 20) * 100) / 100,
    rssMiB: 600 + (n % 200),
    bench: { date: '2026-12-01T10:00:00.000Z', camerasSustained: 6 + (n % 11), modelMs: 8 + (n % 5) },
  };
}

async function apiToken(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/admin/tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'scale-bench', role: 'admin' }) });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

async function time(url: string, token: string, c: ScaleCase, runs: number): Promise<{ ms: number[]; bytes: number; rows: number }> {
  const ms: number[] = [];
  let bytes = 0;
  let rows = 0;
  for (let i = -2; i < runs; i++) {
    const path = c.path(Math.max(0, i));
    const t0 = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'identity' } });
    const text = await res.text();
    const took = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${c.name}: GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    if (i < 0) continue; // warm-up
    ms.push(took);
    bytes = text.length;
    rows = c.count(JSON.parse(text) as Record<string, unknown>);
  }
  return { ms, bytes, rows };
}

async function explain(client: pg.Client, c: ScaleCase) {
  let statements = c.sql(0);
  if (c.record) {
    const rec = recordingRunner(client);
    await c.record(rec.runner, 0);
    statements = rec.statements.map((s, k) => ({ label: `${c.page} ${k + 1}: ${/FROM\s+(\w+)/i.exec(s.text)?.[1] ?? 'sql'}`, ...s }));
  }
  // One after another: one client.
  const out = [];
  for (const q of statements) {
    const r = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.text}`, q.params);
    out.push({ query: q.label, ...summarizePlan(r.rows[0]['QUERY PLAN'], BIG_TABLES) });
  }
  return out;
}

async function measure(server: CentralProcess, client: pg.Client, token: string, cases: ScaleCase[], runs: number, log: (l: string) => void): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases) {
    const t = await time(server.url, token, c, runs);
    const plans = await explain(client, c);
    const timing = summarize(t.ms);
    out.push({ name: c.name, page: c.page, path: c.path(0), ...timing, bytes: t.bytes, rows: t.rows, underTarget: timing.p95Ms < TARGET_MS, plans });
    log(`  ${c.name.padEnd(34)} p50 ${String(timing.p50Ms).padStart(6)} ms  p95 ${String(timing.p95Ms).padStart(6)} ms  max ${String(timing.maxMs).padStart(6)} ms  ${t.rows} rows ${Math.round(t.bytes / 1024)} KiB  ${plans.map((p) => scanList(p.scans)).join(' | ')}`);
  }
  return out;
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  const why = postgresUnavailable();
  if (why) throw new Error(`PostgreSQL is needed: ${why}`);
  const sizes: SeedSizes = {
    gateways: Number(flag('gateways') ?? 1000),
    gatewaysPerSite: 2,
    camerasPerGateway: 10,
    events: Number(flag('events') ?? 1_000_000),
    days: 30,
    queueEvery: 5,
    queueDays: Number(flag('queue-days') ?? 1),
    records: !process.argv.includes('--no-records'),
  };
  const runs = Number(flag('runs') ?? 20);
  const t0 = performance.now();
  let pgc: TestPostgres | undefined;
  let server: CentralProcess | undefined;
  let client: pg.Client | undefined;
  try {
    pgc = await startPostgres({ durable: true });
    const databaseUrl = await pgc.createDatabase('central_scale');
    server = await spawnCentral({ DATABASE_URL: databaseUrl, CENTRAL_ADMIN_TOKEN: ADMIN });
    log(`central ${server.url} on PostgreSQL ${pgc.port}; seeding ${sizes.gateways} gateways, ${sizes.gateways * sizes.camerasPerGateway} cameras, ${sizes.events} events over ${sizes.days} days`);
    const seedStart = performance.now();
    const seeded = await seed(databaseUrl, sizes, log);
    const heartbeatS = await heartbeats(server.url, seeded);
    log(`  seed heartbeats (${sizes.gateways}, signed, over HTTP): ${heartbeatS} s`);
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // Every 40th gateway's last heartbeat 10 minutes old (stale); every 200th revoked.
    await client.query(`UPDATE heartbeats h SET received_at = received_at - 600000 FROM gateways g WHERE g.id = h.gateway_id AND (substring(g.name from 9)::int % 40) = 7`);
    await client.query(`UPDATE gateways SET revoked_at = $1 WHERE (substring(name from 9)::int % 200) = 13`, [Date.now() - 86_400_000]);
    await client.query('VACUUM ANALYZE camera_health');
    await client.query('VACUUM ANALYZE heartbeats');
    await client.query('VACUUM ANALYZE gateways');
    // Migration 008 builds records_event_uid while migrating (an empty database here): its build
    // time over the seeded records is measured by building it again.
    const uidIndex = (await client.query(`SELECT pg_get_indexdef('records_event_uid'::regclass) AS def`)).rows[0].def as string;
    const t8 = performance.now();
    await client.query('DROP INDEX records_event_uid');
    await client.query(uidIndex);
    seeded.steps['records_event_uid (migration 008 index) rebuilt'] = Math.round((performance.now() - t8) / 100) / 10;
    log(`  rebuilt records_event_uid over ${seeded.rows.records} records: ${seeded.steps['records_event_uid (migration 008 index) rebuilt']} s`);
    const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
    const sizesDb = (await client.query(`SELECT relname, pg_total_relation_size(oid) AS bytes FROM pg_class WHERE relname IN ('events', 'records', 'queue_stats', 'camera_health') ORDER BY relname`)).rows.map((r: { relname: string; bytes: string }) => ({ table: r.relname, mib: Math.round(Number(r.bytes) / 2 ** 20) }));
    log(`seeded in ${seedSeconds} s: ${JSON.stringify(seeded.rows)} ${JSON.stringify(sizesDb)}`);
    const token = await apiToken(server.url);
    const cases = [...(await scaleCases(client, seeded)), ...(await consoleCases(client, seeded))];
    log(`timing ${cases.length} answers, ${runs} runs each after 2 warm-ups:`);
    const baseline = await measure(server, client, token, cases, runs, log);
    const proposals: ScaleReport['proposals'] = [];
    // The earlier proposals are migrations now (006 events_camera_started, 008 queue_slots): opt in.
    const withProposals = process.argv.includes('--proposals');
    if (withProposals) {
      for (const p of PROPOSALS) {
        const t1 = performance.now();
        await client.query(p.sql);
        await client.query(`ANALYZE ${p.table}`);
        const buildSeconds = Math.round((performance.now() - t1) / 100) / 10;
        log(`PROPOSAL ${p.name} (built in ${buildSeconds} s; this cluster only): ${p.sql}`);
        const affected = cases.filter((c) => p.cases.includes(c.name));
        proposals.push({ name: p.name, table: p.table, sql: p.sql, why: p.why, buildSeconds, results: await measure(server, client, token, affected, runs, log) });
      }
    }
    let rollup: ScaleReport['rollup'];
    if (withProposals) {
      // Footfall, all sites, 7 days: the central's SQL against the rollup's, both straight through pg (no HTTP).
      const to = Date.now();
      const from = Math.floor((to - 7 * 86_400_000) / 900_000) * 900_000;
      const current = footfallQuery({ from, to, limit: 200_001 });
      const timeSql = async (text: string, params: unknown[]) => {
        const ms: number[] = [];
        let rows = 0;
        for (let i = -2; i < runs; i++) {
          const t = performance.now();
          const r = await client!.query(text, params);
          if (i >= 0) ms.push(performance.now() - t);
          rows = r.rows.length;
        }
        return { ...summarize(ms), rows };
      };
      const before = await timeSql(numbered(current.text), current.params);
      const t1 = performance.now();
      for (const q of FOOTFALL_ROLLUP.setup) await client.query(q);
      const buildSeconds = Math.round((performance.now() - t1) / 100) / 10;
      const after = await timeSql(FOOTFALL_ROLLUP.query, [from, to, 200_001]);
      const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${FOOTFALL_ROLLUP.query}`, [from, to, 200_001]);
      rollup = { name: FOOTFALL_ROLLUP.name, setup: [...FOOTFALL_ROLLUP.setup], query: FOOTFALL_ROLLUP.query, buildSeconds, currentSql: before, rollupSql: after, plan: summarizePlan(plan.rows[0]['QUERY PLAN'], BIG_TABLES) };
      log(`PROPOSAL ${FOOTFALL_ROLLUP.name} (SQL only, all sites, 7 days): current SQL p50 ${before.p50Ms} p95 ${before.p95Ms} ms (${before.rows} rows); rollup p50 ${after.p50Ms} p95 ${after.p95Ms} ms (${after.rows} rows), built in ${buildSeconds} s`);
    }
    const report: ScaleReport = {
      date: new Date().toISOString(),
      device: deviceInfo(),
      postgres: (await client.query('SHOW server_version')).rows[0].server_version as string,
      sizes,
      runs,
      targetMs: TARGET_MS,
      seed: { seconds: seedSeconds, steps: { ...seeded.steps, heartbeats: heartbeatS }, rows: seeded.rows, tableMiB: sizesDb },
      eventByIdRoute: true,
      results: baseline,
      proposals,
      ...(rollup ? { rollup } : {}),
      totalSeconds: 0,
    };
    report.totalSeconds = Math.round((performance.now() - t0) / 1000);
    writeScaleReport(report, log, flag('tag'));
  } finally {
    await client?.end();
    await server?.stop();
    pgc?.stop();
  }
}

if (isMain(import.meta.url)) runBenchmark(main);

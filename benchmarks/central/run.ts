/**
 * `npm run bench:central`: ingest throughput of the central server on this machine, SQLite and
 * PostgreSQL. The server runs as its own process (main.ts, as deployed); this process plays 1, 10
 * and 100 site gateways, each sending signed, gzip'd batches of 500 records one after another
 * (a gateway has one batch in flight), and reports records/s, per-batch p50/p99 latency and the
 * server's CPU. Then one gateway drains a 1,000,000-record backlog in batches of 5000.
 * PostgreSQL runs with fsync and synchronous_commit on; SQLite in WAL with synchronous=NORMAL,
 * the production settings of both.
 *
 * Flags: --records N (per throughput run, default 200000), --drain N (default 1000000),
 * --gateways 1,10,100, --only sqlite|postgres, --pg-durable false (fsync off, to see what it costs).
 * `runCentralBench()` is the same run as a function (used by `npm run bench`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATHS, WIRE_VERSION, type EnrolResponse } from '../../central-sync/wire';
import { spawnCentral, type CentralProcess } from '../lib/central-process';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../lib/postgres';
import { deviceInfo, type DeviceInfo } from '../lib/device';
import { isMain, runBenchmark, writeResult, type StepLog } from '../lib/results';
import { percentile } from '../../gateway/util/percentile';
import { prepareBatches, sendBatch, type Gateway } from './load';

const BATCH = 500;
const DRAIN_BATCH = 5000;
const ADMIN = 'bench-admin-token-0123456789';
const TARGETS = { sqliteRecordsPerSec: 20_000, postgresRecordsPerSec: 10_000, drainSeconds: 120 };

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** utime + stime of a process, in seconds (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function enrol(url: string, site: string): Promise<Gateway> {
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const { token } = await post('/v1/admin/enrolments', { siteId: site, siteName: site }, ADMIN);
  const e = (await post(PATHS.enrol, { version: WIRE_VERSION, token })) as unknown as EnrolResponse;
  return { id: e.gatewayId, secret: e.secret };
}

export interface IngestRun {
  gateways: number;
  records: number;
  batches: number;
  seconds: number;
  recordsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuCores: number;
}

interface Sizes {
  RECORDS_PER_RUN: number;
  DRAIN_RECORDS: number;
  GATEWAY_COUNTS: number[];
  PG_DURABLE: boolean;
  log: StepLog;
}

async function ingestRun(server: CentralProcess, gatewayCount: number, runId: string, { RECORDS_PER_RUN }: Sizes): Promise<IngestRun> {
  const gateways = await Promise.all(Array.from({ length: gatewayCount }, (_, i) => enrol(server.url, `${runId}-site-${i}`)));
  const perGateway = Math.max(BATCH, Math.round(RECORDS_PER_RUN / gatewayCount / BATCH) * BATCH);
  const queues = gateways.map((g) => prepareBatches(g.id, perGateway, BATCH, Date.now() - 86_400_000));
  const latencies: number[] = [];
  let stored = 0;
  const cpu0 = cpuSeconds(server.child.pid!);
  const t0 = performance.now();
  await Promise.all(
    gateways.map(async (g, i) => {
      for (const b of queues[i]!) {
        const r = await sendBatch(server.url, g, b);
        latencies.push(r.ms);
        stored += r.stored;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(server.child.pid!) - cpu0;
  const expected = perGateway * gatewayCount;
  if (stored !== expected) throw new Error(`stored ${stored} of ${expected} records`);
  latencies.sort((a, b) => a - b);
  return {
    gateways: gatewayCount,
    records: stored,
    batches: latencies.length,
    seconds: round(seconds, 2),
    recordsPerSec: Math.round(stored / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    serverCpuCores: round(cpu / seconds, 2),
  };
}

export interface Drain {
  records: number;
  batchSize: number;
  seconds: number;
  recordsPerSec: number;
  p99Ms: number;
  serverCpuCores: number;
}

async function drain(server: CentralProcess, runId: string, { DRAIN_RECORDS, log }: Sizes): Promise<Drain> {
  const gw = await enrol(server.url, `${runId}-backlog`);
  log(`  preparing a ${DRAIN_RECORDS}-record backlog...`);
  const batches = prepareBatches(gw.id, DRAIN_RECORDS, DRAIN_BATCH, Date.now() - 7 * 86_400_000);
  const latencies: number[] = [];
  let highest = 0;
  const cpu0 = cpuSeconds(server.child.pid!);
  const t0 = performance.now();
  for (const b of batches) {
    const r = await sendBatch(server.url, gw, b);
    latencies.push(r.ms);
    highest = r.highestSeq;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (highest !== DRAIN_RECORDS) throw new Error(`backlog drained to seq ${highest}, expected ${DRAIN_RECORDS}`);
  latencies.sort((a, b) => a - b);
  return {
    records: DRAIN_RECORDS,
    batchSize: DRAIN_BATCH,
    seconds: round(seconds, 1),
    recordsPerSec: Math.round(DRAIN_RECORDS / seconds),
    p99Ms: round(percentile(latencies, 99)),
    serverCpuCores: round((cpuSeconds(server.child.pid!) - cpu0) / seconds, 2),
  };
}

export interface BackendResult {
  ingest: IngestRun[];
  drain: Drain | undefined;
}

async function backend(name: 'sqlite' | 'postgres', sizes: Sizes): Promise<BackendResult> {
  const { PG_DURABLE, GATEWAY_COUNTS, DRAIN_RECORDS, log } = sizes;
  let pg: TestPostgres | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bench-central-'));
  let server: CentralProcess | undefined;
  try {
    let databaseUrl = `sqlite:${join(dir, 'central.sqlite')}`;
    if (name === 'postgres') {
      pg = await startPostgres({ durable: PG_DURABLE });
      databaseUrl = await pg.createDatabase('central_bench');
    }
    server = await spawnCentral({ DATABASE_URL: databaseUrl, CENTRAL_ADMIN_TOKEN: ADMIN });
    log(`${name}: server ${server.url}`);
    const runs: IngestRun[] = [];
    for (const n of GATEWAY_COUNTS) {
      const r = await ingestRun(server, n, `run${n}`, sizes);
      runs.push(r);
      log(`  ${String(n).padStart(3)} gateways: ${r.recordsPerSec} records/s, batch p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms, server ${r.serverCpuCores} cores`);
    }
    const d = DRAIN_RECORDS > 0 ? await drain(server, 'drain', sizes) : undefined;
    if (d) log(`  drain ${d.records} records: ${d.seconds} s (${d.recordsPerSec} records/s, batch p99 ${d.p99Ms} ms)`);
    return { ingest: runs, drain: d };
  } finally {
    await server?.stop();
    pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(results: Record<string, BackendResult>): void {
  const rows = [['backend', 'gateways', 'records', 'records/s', 'p50 ms', 'p99 ms', 'server cores']];
  for (const [name, r] of Object.entries(results)) {
    for (const i of r.ingest) rows.push([name, String(i.gateways), String(i.records), String(i.recordsPerSec), String(i.p50Ms), String(i.p99Ms), String(i.serverCpuCores)]);
    if (r.drain) rows.push([name, `drain x${r.drain.batchSize}`, String(r.drain.records), String(r.drain.recordsPerSec), '', String(r.drain.p99Ms), String(r.drain.serverCpuCores)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log('');
  for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
}

export interface CentralBenchResult {
  date: string;
  device: DeviceInfo;
  postgresDurable: boolean;
  sizes: { recordsPerRun: number; batchSize: number; drainRecords: number; drainBatchSize: number; gateways: number[] };
  targets: typeof TARGETS;
  results: Partial<Record<'sqlite' | 'postgres', BackendResult>>;
  /** Why a backend was not measured (PostgreSQL not installed, say). */
  skipped: Partial<Record<'sqlite' | 'postgres', string>>;
  met: { sqlite: boolean | null; postgres: boolean | null; drain: Record<string, boolean | null> };
}

export interface CentralBenchOptions {
  /** Seconds instead of minutes: 10,000 records per run, 1 and 10 gateways, a 20,000-record drain, SQLite only. */
  quick?: boolean;
  recordsPerRun?: number;
  drainRecords?: number;
  gateways?: number[];
  backends?: Array<'sqlite' | 'postgres'>;
  pgDurable?: boolean;
  log?: StepLog;
}

export async function runCentralBench(options: CentralBenchOptions = {}): Promise<CentralBenchResult> {
  const quick = options.quick ?? false;
  const sizes: Sizes = {
    RECORDS_PER_RUN: options.recordsPerRun ?? (quick ? 10_000 : 200_000),
    DRAIN_RECORDS: options.drainRecords ?? (quick ? 20_000 : 1_000_000),
    GATEWAY_COUNTS: options.gateways ?? (quick ? [1, 10] : [1, 10, 100]),
    PG_DURABLE: options.pgDurable ?? true,
    log: options.log ?? ((line: string) => console.log(line)),
  };
  const results: CentralBenchResult['results'] = {};
  const skipped: CentralBenchResult['skipped'] = {};
  for (const name of options.backends ?? (quick ? ['sqlite'] : ['sqlite', 'postgres'])) {
    const unavailable = name === 'postgres' ? postgresUnavailable() : undefined;
    if (unavailable) {
      sizes.log(`postgres: skipped (${unavailable})`);
      skipped[name] = unavailable;
      continue;
    }
    results[name] = await backend(name, sizes);
  }
  const min = (name: 'sqlite' | 'postgres') => Math.min(...(results[name]?.ingest.map((r) => r.recordsPerSec) ?? [NaN]));
  const met = {
    sqlite: results.sqlite ? min('sqlite') >= TARGETS.sqliteRecordsPerSec : null,
    postgres: results.postgres ? min('postgres') >= TARGETS.postgresRecordsPerSec : null,
    drain: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.drain ? r.drain.seconds < TARGETS.drainSeconds : null])),
  };
  return {
    date: new Date().toISOString(),
    device: deviceInfo(),
    postgresDurable: sizes.PG_DURABLE,
    sizes: { recordsPerRun: sizes.RECORDS_PER_RUN, batchSize: BATCH, drainRecords: sizes.DRAIN_RECORDS, drainBatchSize: DRAIN_BATCH, gateways: sizes.GATEWAY_COUNTS },
    targets: TARGETS,
    results,
    skipped,
    met,
  };
}

async function main(): Promise<void> {
  const flag = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const only = flag('only');
  const result = await runCentralBench({
    ...(flag('records') ? { recordsPerRun: Number(flag('records')) } : {}),
    ...(flag('drain') ? { drainRecords: Number(flag('drain')) } : {}),
    ...(flag('gateways') ? { gateways: flag('gateways')!.split(',').map(Number) } : {}),
    ...(only === 'sqlite' || only === 'postgres' ? { backends: [only] } : {}),
    pgDurable: flag('pg-durable') !== 'false',
  });
  table(result.results as Record<string, BackendResult>);
  console.log(`\ntargets (slowest run per backend): ${JSON.stringify(result.met)}`);
  writeResult('central', result);
}

if (isMain(import.meta.url)) runBenchmark(main);

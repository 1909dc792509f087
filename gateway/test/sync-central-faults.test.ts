/**
 * Fault tests across real processes on 127.0.0.1: the central server runs as `npm run central`
 * does (its own process, SQLite file), the gateway uplink over a real gateway database, in this
 * process or (for the SIGKILL test) in a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawnCentral, type CentralProcess } from '../../central-sync/test/helpers/central-process';
import { sleep, waitFor } from '../../test-helpers/processes';
import { EventStore, openDatabase } from '../store';
import { startUplinkForTest, type TestUplink } from './uplink-harness';

const ADMIN = 'fault-test-admin-token-0123456789';
// The example outage is 60 s; 30 s keeps CI short while the uplink backs off to its cap
// dozens of times. SYNC_FAULT_OUTAGE_MS=60000 runs the longer variant.
const OUTAGE_MS = Number(process.env.SYNC_FAULT_OUTAGE_MS ?? 30_000);

const dir = mkdtempSync(join(tmpdir(), 'gw-sync-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Central {
  url: string;
  dbFile: string;
  process: CentralProcess;
  start(): Promise<void>;
  kill(): Promise<void>;
}

async function central(): Promise<Central> {
  const port = await freePort();
  const dbFile = join(dir, `central-${randomUUID()}.sqlite`);
  const c: Central = {
    url: `http://127.0.0.1:${port}`,
    dbFile,
    process: undefined as unknown as CentralProcess,
    async start() {
      c.process = await spawnCentral({ DATABASE_URL: `sqlite:${dbFile}`, PORT: String(port), CENTRAL_ADMIN_TOKEN: ADMIN });
    },
    async kill() {
      const exited = new Promise((resolve) => c.process.child.once('exit', resolve));
      c.process.child.kill('SIGKILL');
      await exited;
    },
  };
  await c.start();
  cleanups.push(() => c.process.stop());
  return c;
}

async function enrolmentToken(c: Central, siteId: string): Promise<string> {
  const res = await fetch(`${c.url}/v1/admin/enrolments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ siteId, siteName: `Site ${siteId}` }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

/** What the central database holds, read beside the running server (WAL allows it). */
function centralView(dbFile: string) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const seqs = db.prepare('SELECT seq FROM records ORDER BY rowid').pluck().all() as number[];
    const events = db.prepare('SELECT count(*) AS n, count(DISTINCT uid) AS uids, count(ended_at) AS ended FROM events').get() as { n: number; uids: number; ended: number };
    const totals = db.prepare('SELECT coalesce(sum(records_total), 0) FROM gateway_sync').pluck().get() as number;
    return { seqs, events, recordsTotal: totals };
  } finally {
    db.close();
  }
}

const recordCount = (dbFile: string): number => {
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM records').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
};

const isAscending = (xs: number[]): boolean => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

/** Writes `count` events, each started and ended (two outbox records of one priority). */
function writeEvents(events: EventStore, count: number, from: number): void {
  for (let i = from; i < from + count; i++) {
    events.start({ uid: `ev-${i}`, cameraId: 'cam1', zoneId: 'line', type: 'crowding', severity: 'medium', at: Date.now(), data: { count: 9 } });
    events.end(`ev-${i}`, Date.now(), { count: 2 });
  }
}

function uplink(dbFile: string, url: string, token: string): TestUplink {
  const t = startUplinkForTest({ dbFile, url, credentials: { credentialsFile: `${dbFile}.credentials.json`, enrolmentToken: token }, batchRecords: 100 });
  cleanups.push(() => t.stop());
  return t;
}

describe('central server stopped while the gateway keeps producing', () => {
  it(`delivers everything exactly once, in order, after a ${OUTAGE_MS / 1000} s outage; a revoked gateway then gets 401 and nothing is stored`, async () => {
    const c = await central();
    const gw = uplink(join(dir, 'gw-outage.sqlite'), c.url, await enrolmentToken(c, 'site-outage'));
    let produced = 0;
    const producer = setInterval(() => {
      gw.db.transaction(() => writeEvents(gw.events, 5, produced))();
      produced += 5;
    }, 50);
    cleanups.push(async () => clearInterval(producer));

    expect(await waitFor(() => recordCount(c.dbFile) > 0 && gw.sync.status().connected, 15_000)).toBe(true);
    await c.kill();
    const killedAt = Date.now();
    await sleep(Math.min(2000, OUTAGE_MS));
    const during = gw.sync.status();
    expect(during.connected).toBe(false);
    expect(during.lastError).toBeTruthy();
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - killedAt)));
    const backlogAtRestart = gw.sync.status().backlog;
    // 5 events = 10 records every 50 ms: the outage left a real backlog behind.
    expect(backlogAtRestart).toBeGreaterThan((OUTAGE_MS / 50) * 10 * 0.5);

    await c.start();
    await sleep(1000);
    clearInterval(producer);
    expect(await waitFor(() => gw.sync.status().backlog === 0, 60_000)).toBe(true);

    const view = centralView(c.dbFile);
    expect(view.seqs.length).toBe(produced * 2);
    expect(new Set(view.seqs).size).toBe(produced * 2);
    expect(isAscending(view.seqs)).toBe(true);
    expect(view.events).toEqual({ n: produced, uids: produced, ended: produced });
    expect(view.recordsTotal).toBe(produced * 2);
    expect(gw.sync.status().deadLettered).toBe(0);

    // Revocation: refused at once, nothing stored, the record waits in the outbox.
    const gatewayId = gw.sync.status().gatewayId!;
    const revoke = await fetch(`${c.url}/v1/admin/gateways/${gatewayId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(revoke.status).toBe(200);
    gw.db.transaction(() => writeEvents(gw.events, 1, produced))();
    expect(await waitFor(() => /401/.test(gw.sync.status().lastError ?? ''), 10_000)).toBe(true);
    await sleep(500);
    expect(centralView(c.dbFile).seqs.length).toBe(produced * 2);
    expect(gw.sync.status().backlog).toBe(2);
  }, OUTAGE_MS + 120_000);
});

interface Child {
  process: ChildProcess;
  backlog: number;
  exited: Promise<unknown>;
}

function startChild(dbFile: string, url: string, token?: string): Promise<Child> {
  // node --import tsx, not the tsx CLI: SIGKILL must reach the process that holds the uplink.
  const args = ['--import', 'tsx', join(import.meta.dirname, 'fixtures/uplink-child.ts'), dbFile, url, `${dbFile}.credentials.json`, ...(token ? [token] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const c: Child = { process: child, backlog: -1, exited: new Promise((resolve) => child.once('exit', resolve)) };
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await c.exited;
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'READY') resolve(c);
      const m = /^BACKLOG (\d+)$/.exec(line);
      if (m) c.backlog = Number(m[1]);
    });
    void c.exited.then(() => reject(new Error('uplink child exited before READY')));
  });
}

describe('gateway killed during an upload', () => {
  it('loses nothing and stores nothing twice after SIGKILL and restart', async () => {
    const c = await central();
    const dbFile = join(dir, 'gw-killed.sqlite');
    const total = 20_000;
    const setup = openDatabase(dbFile);
    setup.transaction(() => writeEvents(new EventStore(setup), total / 2, 0))();
    setup.close();

    const first = await startChild(dbFile, c.url, await enrolmentToken(c, 'site-killed'));
    // Kill once the drain is well under way: about 100 batches a second are in flight by then.
    expect(await waitFor(() => recordCount(c.dbFile) >= 2000, 30_000, 5)).toBe(true);
    first.process.kill('SIGKILL');
    await first.exited;
    const storedAtKill = recordCount(c.dbFile);
    expect(storedAtKill).toBeLessThan(total);

    const second = await startChild(dbFile, c.url);
    expect(await waitFor(() => recordCount(c.dbFile) === total && second.backlog === 0, 60_000)).toBe(true);
    second.process.kill('SIGTERM');
    await second.exited;

    const view = centralView(c.dbFile);
    expect(new Set(view.seqs).size).toBe(total);
    expect(view.events).toEqual({ n: total / 2, uids: total / 2, ended: total / 2 });
    // records_total grows only by records newly stored: a resent batch added nothing.
    expect(view.recordsTotal).toBe(total);
    const gwDb = openDatabase(dbFile);
    try {
      expect(gwDb.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(0);
      expect(gwDb.prepare('SELECT count(*) FROM sync_dead_letter').pluck().get()).toBe(0);
    } finally {
      gwDb.close();
    }
  }, 150_000);
});

/** Forwards to the central server, but for the first `cuts` ingest requests drops the connection once the server has answered. */
async function cuttingProxy(target: string, cuts: number): Promise<{ url: string; cut: () => number; server: Server }> {
  let cut = 0;
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const body: Buffer[] = [];
      answer.on('data', (d: Buffer) => body.push(d));
      answer.on('end', () => {
        if (req.url === '/v1/ingest' && answer.statusCode === 200 && cut < cuts) {
          cut += 1;
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
      });
    });
    out.on('error', () => req.socket.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  cleanups.push(async () => server.closeAllConnections());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cut: () => cut, server };
}

describe('connection cut after the server stored a batch', () => {
  it('resends, and the server stores nothing twice', async () => {
    const c = await central();
    const proxy = await cuttingProxy(c.url, 3);
    const dbFile = join(dir, 'gw-cut.sqlite');
    const setup = openDatabase(dbFile);
    setup.transaction(() => writeEvents(new EventStore(setup), 500, 0))();
    setup.close();
    const gw = uplink(dbFile, proxy.url, await enrolmentToken(c, 'site-cut'));
    expect(await waitFor(() => gw.sync.status().backlog === 0, 30_000)).toBe(true);
    expect(proxy.cut()).toBe(3);
    const view = centralView(c.dbFile);
    expect(view.seqs.length).toBe(1000);
    expect(isAscending(view.seqs)).toBe(true);
    expect(view.recordsTotal).toBe(1000);
    expect(view.events).toEqual({ n: 500, uids: 500, ended: 500 });
    expect(gw.sync.status().lastError).toBeTruthy();
  }, 60_000);
});

describe('gateway database lost, credentials kept', () => {
  it('numbers the new database\'s records above what central holds, so none is taken for a resend', async () => {
    const c = await central();
    const first = join(dir, 'gw-lost.sqlite');
    const credentialsFile = join(dir, 'gw-lost.credentials.json');
    const token = await enrolmentToken(c, 'site-lost');
    const start = (dbFile: string) => {
      const t = startUplinkForTest({ dbFile, url: c.url, credentials: { credentialsFile, enrolmentToken: token }, batchRecords: 100 });
      cleanups.push(() => t.stop());
      return t;
    };
    const before = start(first);
    before.db.transaction(() => writeEvents(before.events, 50, 0))();
    expect(await waitFor(() => before.sync.status().backlog === 0, 30_000)).toBe(true);
    const gatewayId = before.sync.status().gatewayId;
    await before.stop();
    expect(recordCount(c.dbFile)).toBe(100);

    // The disk is replaced: a new, empty database, the same credentials file.
    const after = start(join(dir, 'gw-lost-new.sqlite'));
    after.db.transaction(() => writeEvents(after.events, 30, 1000))();
    expect(await waitFor(() => after.sync.status().backlog === 0, 30_000)).toBe(true);
    const view = centralView(c.dbFile);
    expect(view.seqs.length).toBe(160);
    expect(isAscending(view.seqs)).toBe(true);
    expect(view.events).toEqual({ n: 80, uids: 80, ended: 80 });
    expect(after.sync.status().gatewayId).toBe(gatewayId);
  }, 90_000);
});

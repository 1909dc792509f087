import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { waitFor } from '../../test-helpers/processes';
import { HeartbeatVersion, LEGACY_HOLD_MS, Uplink } from '../client';
import type { CentralServer } from '../server';
import { describeZodError, HeartbeatSchema, PATHS, type PerfSummary } from '../wire';
import { MemoryOutbox, cameraHealth, event } from './client-memory-outbox';
import { ADMIN_TOKEN, api, createEnrolmentToken, startTestServer, useDatabases } from './helpers/central';
import { capture, type LogLine } from './helpers/uplink-harness';
import { perfSummary } from './perf-fixtures';

const dbs = useDatabases();

/** The heartbeat of wire version 2, strict: what a central of before issue 16 accepts. */
const OldHeartbeatSchema = HeartbeatSchema.omit({ perf: true }).extend({ version: z.literal([1, 2]) }).strict();

/**
 * A real central behind the checks a version 2 central makes (routes/gateway.ts before issue 16):
 * any body of another version is refused naming `version`, and a heartbeat is judged by the version
 * 2 schema. With `acceptsVersion3` it lets version 3 through but still knows no `perf` (a central
 * that checks the version but not the keys). What passes is forwarded byte for byte, signature and all.
 */
async function oldCentralInFront(target: string, options: { acceptsVersion3?: boolean } = {}) {
  const seen: Array<{ path: string; version: unknown; perf: boolean; status: number }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        const body = JSON.parse(text) as Record<string, unknown>;
        const accepted = options.acceptsVersion3 ? [1, 2, 3] : [1, 2];
        const refuse = (error: string, field: string) => {
          seen.push({ path: req.url!, version: body.version, perf: 'perf' in body, status: 400 });
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error, field, serverTime: Date.now() }));
        };
        if (!accepted.includes(body.version as number)) return refuse(`version ${String(body.version)} is not supported; this server speaks wire versions 1 and 2`, 'version');
        if (req.url === PATHS.heartbeat) {
          const parsed = OldHeartbeatSchema.extend({ version: z.number() }).strict().safeParse(body);
          if (!parsed.success) return refuse(describeZodError(parsed.error).message, describeZodError(parsed.error).field);
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
        const answer = await fetch(`${target}${req.url}`, { method: 'POST', headers, body: raw });
        seen.push({ path: req.url!, version: body.version, perf: 'perf' in body, status: answer.status });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      })().catch((err: unknown) => res.writeHead(500).end(String(err)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('a version 3 gateway and an older central', () => {
  let central: CentralServer;
  let dir: string;
  const summary: PerfSummary = perfSummary();

  beforeAll(async () => {
    central = await startTestServer(await dbs.fresh('sqlite'));
    dir = mkdtempSync(join(tmpdir(), 'perf-fallback-'));
  });
  afterAll(async () => {
    await central?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const acceptsVersion3 of [false, true]) {
    it(`enrols, delivers records and falls back to version 2 heartbeats without perf (${acceptsVersion3 ? 'central refuses the unknown key perf' : 'central refuses version 3'})`, async () => {
      const old = await oldCentralInFront(central.url, { acceptsVersion3 });
      const outbox = new MemoryOutbox();
      for (let i = 0; i < 5; i++) outbox.add('event', 1, event('low'));
      outbox.add('camera_health', 2, cameraHealth('streaming'));
      const logs: LogLine[] = [];
      const token = await createEnrolmentToken(central.url, `old-${String(acceptsVersion3)}`);
      let perfCalls = 0;
      const uplink = new Uplink({
        url: old.url,
        source: outbox,
        credentials: { credentialsFile: join(dir, `${String(acceptsVersion3)}.json`), enrolmentToken: token, gatewayName: 'v3 gateway' },
        log: capture(logs),
        heartbeatMs: 50,
        idleMs: 10,
        backoff: { baseMs: 20, capMs: 200, minMs: 5 },
        perf: () => {
          perfCalls += 1;
          return summary;
        },
      });
      try {
        uplink.start();
        expect(await waitFor(() => outbox.rows.length === 0 && old.seen.filter((s) => s.path === PATHS.heartbeat && s.status === 200).length >= 3, 10_000, 10)).toBe(true);
      } finally {
        await uplink.stop();
        await old.close();
      }
      // Enrolment and ingest are version 2 bodies: the old central takes them at once.
      expect(old.seen.filter((s) => s.path !== PATHS.heartbeat)).toEqual(old.seen.filter((s) => s.path !== PATHS.heartbeat).map((s) => ({ ...s, version: 2, status: 200 })));
      // One version 3 heartbeat refused, then version 2 ones without perf, not trying 3 again within the hour.
      const beats = old.seen.filter((s) => s.path === PATHS.heartbeat);
      expect(beats[0]).toMatchObject({ version: 3, perf: true, status: 400 });
      expect(beats.slice(1).every((b) => b.version === 2 && !b.perf && b.status === 200)).toBe(true);
      expect(perfCalls).toBe(1);
      expect(logs.filter((l) => l.level === 'warn' && /version 3 heartbeat/.test(l.msg))).toHaveLength(1);
      expect(uplink.status()).toMatchObject({ sent: 6, deadLettered: 0 });
      const fleet = (await api(central.url, 'GET', '/v1/fleet', ADMIN_TOKEN)).json.gateways as Array<{ gatewayId: string; heartbeat: unknown }>;
      expect(fleet.find((g) => g.gatewayId === uplink.status().gatewayId)?.heartbeat).not.toBeNull();
    });
  }

  it('sends version 3 heartbeats with the summary to a current central, which answers it on /v1/throughput; a throwing provider costs only the summary', async () => {
    const outbox = new MemoryOutbox();
    const token = await createEnrolmentToken(central.url, 'current');
    let fail = false;
    const uplink = new Uplink({
      url: central.url,
      source: outbox,
      credentials: { credentialsFile: join(dir, 'current.json'), enrolmentToken: token },
      log: capture([]),
      heartbeatMs: 50,
      idleMs: 10,
      perf: () => {
        if (fail) throw new Error('no pool yet');
        return summary;
      },
    });
    try {
      uplink.start();
      const device = async () => ((await api(central.url, 'GET', `/v1/throughput?gateway=${uplink.status().gatewayId ?? 'none'}`, ADMIN_TOKEN)).json.devices as Array<{ perf: unknown }> | undefined)?.[0];
      let perf: unknown;
      const until = Date.now() + 10_000;
      while (perf === undefined && Date.now() < until) perf = (await device())?.perf ?? undefined;
      expect(perf).toEqual(summary);
      fail = true;
      const beatAt = Date.now();
      let cleared = false;
      while (!cleared && Date.now() < beatAt + 10_000) cleared = (await device())?.perf === null;
      expect(cleared).toBe(true);
      expect(uplink.status().lastError).toBeNull();
    } finally {
      await uplink.stop();
    }
  });
});

describe('heartbeat version', () => {
  it('falls back on a 400 naming version or perf, for the hold time, and not for other refusals', () => {
    const v = new HeartbeatVersion(1000);
    expect(v.current(0)).toBe(3);
    expect(v.refused(3, 503, undefined, 'down', 0)).toBe(false);
    expect(v.refused(3, 400, 'cameras[0].state', 'cameras[0].state: Too big', 0)).toBe(false);
    expect(v.current(0)).toBe(3);
    expect(v.refused(3, 400, 'version', 'version 3 is not supported', 10)).toBe(true);
    expect([v.current(10), v.current(1009), v.current(1010)]).toEqual([2, 2, 3]);
    expect(v.refused(3, 400, '(body)', '(body): Unrecognized key: "perf"', 2000)).toBe(true);
    expect(v.current(2500)).toBe(2);
    expect(v.refused(3, 400, 'perf.cpu', 'perf.cpu: Too big', 5000)).toBe(true);
    // A version 2 heartbeat refused is not "too new".
    expect(v.refused(2, 400, 'version', 'version 2 is not supported', 9000)).toBe(false);
    expect(LEGACY_HOLD_MS).toBe(3_600_000);
  });
});

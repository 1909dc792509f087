import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../server/retention';
import type { CentralServer } from '../server';
import { PATHS, type PerfSummary } from '../wire';
import { ADMIN_TOKEN, api, BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, TestClock, useDatabases, type TestGateway } from './helpers/central';
import { perfSummary } from './perf-fixtures';

const dbs = useDatabases();
const MIN = 60_000;
const HOUR = 60 * MIN;

interface Device {
  gatewayId: string;
  headroom: number | null;
  overloaded: boolean;
  overloadReasons: string[];
  camerasSustained: number | null;
  camerasStreaming: number | null;
  stale: boolean;
  perf: PerfSummary | null;
  trend: { at: number[]; samples: number[]; detectionsPerSec: number[]; framesPerSec: number[]; targetFps: number[]; cpu: number[]; camerasStreaming: number[] };
}

describe.each(BACKENDS)('throughput per device on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  const clock = new TestClock();
  const gw: Record<'roomy' | 'busy' | 'dropping' | 'old' | 'silent', TestGateway> = {} as never;
  const tokens = { security: '', ops: '' };

  const beat = (g: TestGateway, version: number, perf?: unknown, extra: Record<string, unknown> = {}) =>
    sendSigned(
      server.url,
      PATHS.heartbeat,
      g,
      { version, gatewayId: g.id, at: clock.now(), cameras: [], backlog: 0, oldestUnsentAt: null, dropped: 0, ...(perf !== undefined ? { perf } : {}), ...extra },
      { now: clock.now() },
    );
  const throughput = async (query = '', token = tokens.ops) => api(server.url, 'GET', `/v1/throughput${query}`, token);

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend), { now: clock.now });
    for (const name of ['roomy', 'busy', 'dropping', 'old', 'silent'] as const) gw[name] = await enrolGateway(server.url, `site-${name}`);
    for (const role of ['security', 'ops'] as const) tokens[role] = String((await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: role, role })).json.token);
  });
  afterAll(() => server?.close());

  it('keeps accepting heartbeats of wire versions 1 and 2 and stores them without a summary', async () => {
    expect((await beat(gw.old, 1)).status).toBe(200);
    expect((await beat(gw.old, 2)).status).toBe(200);
    expect((await beat(gw.old, 3)).status).toBe(200);
    const { status, json } = await throughput(`?gateway=${gw.old.id}`);
    expect(status).toBe(200);
    const [old] = json.devices as Device[];
    expect(old).toMatchObject({ gatewayId: gw.old.id, perf: null, headroom: null, overloaded: false, camerasSustained: null, stale: false });
    expect(Object.values(old!.trend).every((column) => column.length === 0)).toBe(true);
    const fleet = (await api(server.url, 'GET', '/v1/fleet', tokens.ops)).json.gateways as Array<{ gatewayId: string; heartbeat: unknown }>;
    expect(fleet.find((g) => g.gatewayId === gw.old.id)?.heartbeat).not.toBeNull();
  });

  it('refuses a bad summary naming the field, and a version it does not speak', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...perfSummary(), cpu: 1.5 }, 'perf.cpu'],
      [{ ...perfSummary(), cameras: { configured: 2, streaming: -1 } }, 'perf.cameras.streaming'],
      [{ ...perfSummary(), device: { ...perfSummary().device, cpuModel: 'x\u0000y' } }, 'perf.device.cpuModel'],
      [{ ...perfSummary(), inferenceMs: { p50: 'fast', p99: 3 } }, 'perf.inferenceMs.p50'],
      [{ ...perfSummary(), bench: { date: null, camerasSustained: 2.5, modelMs: 3 } }, 'perf.bench.camerasSustained'],
      [{ ...perfSummary(), detectionsPerSec: 1e9 }, 'perf.detectionsPerSec'],
    ];
    for (const [perf, field] of cases) {
      const r = await beat(gw.roomy, 3, perf);
      expect(r.status, field).toBe(400);
      expect(r.json.field, JSON.stringify(r.json)).toBe(field);
    }
    const unknownKey = await beat(gw.roomy, 3, { ...perfSummary(), gpuTemp: 80 });
    expect(unknownKey.status).toBe(400);
    expect(String(unknownKey.json.error)).toMatch(/gpuTemp/);
    const future = await beat(gw.roomy, 4, perfSummary());
    expect(future.status).toBe(400);
    expect(future.json).toMatchObject({ field: 'version' });
    expect(String(future.json.error)).toMatch(/1, 2 and 3/);
    expect((await throughput(`?gateway=${gw.roomy.id}`)).json.devices).toEqual([expect.objectContaining({ perf: null })]);
  });

  it('ranks devices by headroom, flags overload by cameras or by frames, and keeps a 24 h trend in half-hour buckets', async () => {
    const start = clock.now();
    // Three hours of heartbeats every 10 minutes, oldest first (central's clock moved back and forward).
    for (let minutesAgo = 180; minutesAgo >= 0; minutesAgo -= 10) {
      clock.offsetMs = -minutesAgo * MIN;
      const load = minutesAgo > 90 ? 2 : 6;
      expect((await beat(gw.roomy, 3, perfSummary({ cameras: { configured: 6, streaming: load }, detectionsPerSec: load * 4, framesPerSec: load * 5, targetFps: load * 5, cpu: load / 10 }))).status).toBe(200);
    }
    clock.offsetMs = 0;
    expect((await beat(gw.busy, 3, perfSummary({ cameras: { configured: 14, streaming: 12 }, framesPerSec: 60, targetFps: 60 }))).status).toBe(200);
    expect((await beat(gw.dropping, 3, perfSummary({ cameras: { configured: 4, streaming: 4 }, framesPerSec: 11, targetFps: 20, efficiency: 0.55 }))).status).toBe(200);
    expect((await beat(gw.silent, 3, perfSummary({ bench: null }))).status).toBe(200);

    const { status, json } = await throughput();
    expect(status).toBe(200);
    const devices = json.devices as Device[];
    // roomy: 10 sustained - 6 streaming = 4; dropping: 10 - 4 = 6 but drops frames; busy: 10 - 12 = -2; silent and old: no bench figure.
    expect(devices.map((d) => [d.gatewayId, d.headroom])).toEqual([
      [gw.dropping.id, 6],
      [gw.roomy.id, 4],
      [gw.busy.id, -2],
      ...[[gw.old.id, null], [gw.silent.id, null]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ]);
    const by = Object.fromEntries(devices.map((d) => [d.gatewayId, d]));
    expect(by[gw.roomy.id]).toMatchObject({ overloaded: false, overloadReasons: [], camerasSustained: 10, camerasStreaming: 6 });
    expect(by[gw.busy.id]).toMatchObject({ overloaded: true, overloadReasons: ['cameras'] });
    expect(by[gw.dropping.id]).toMatchObject({ overloaded: true, overloadReasons: ['frames'] });
    expect(by[gw.silent.id]).toMatchObject({ headroom: null, overloaded: false, camerasStreaming: 4 });
    expect(by[gw.roomy.id]!.perf).toEqual(perfSummary({ cameras: { configured: 6, streaming: 6 }, detectionsPerSec: 24, framesPerSec: 30, targetFps: 30, cpu: 0.6 }));

    const trend = by[gw.roomy.id]!.trend;
    const bucket = 30 * MIN;
    expect(trend.at.length).toBeGreaterThanOrEqual(6);
    expect(trend.at.length).toBeLessThanOrEqual(8);
    expect(Object.values(trend).every((column) => column.length === trend.at.length)).toBe(true);
    expect(trend.at.every((at) => at % bucket === 0)).toBe(true);
    expect(trend.at).toEqual([...trend.at].sort((a, b) => a - b));
    expect(trend.samples.reduce((n, s) => n + s, 0)).toBe(19);
    expect(trend.at[0]).toBeGreaterThanOrEqual(start - 3 * HOUR - bucket);
    // Averages per bucket: 2 cameras (8 detections/s, 20% CPU) early on, 6 (24/s, 60%) in the last 90 minutes.
    const point = (i: number) => ({ camerasStreaming: trend.camerasStreaming.at(i), detectionsPerSec: trend.detectionsPerSec.at(i), cpu: trend.cpu.at(i) });
    expect(point(0)).toEqual({ camerasStreaming: 2, detectionsPerSec: 8, cpu: 0.2 });
    expect(point(-1)).toEqual({ camerasStreaming: 6, detectionsPerSec: 24, cpu: 0.6 });
    expect(json.trend).toMatchObject({ bucketMs: bucket });

    // One gateway alone; a v2 heartbeat afterwards clears its latest summary but not its trend.
    expect((await beat(gw.roomy, 2)).status).toBe(200);
    const one = (await throughput(`?gateway=${gw.roomy.id}`)).json.devices as Device[];
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ perf: null, headroom: null });
    expect(one[0]!.trend.samples.reduce((n, s) => n + s, 0)).toBe(19);
  });

  it('answers ops and admin tokens only, and checks its query', async () => {
    expect((await throughput('', tokens.security)).status).toBe(403);
    expect((await throughput('', ADMIN_TOKEN)).status).toBe(200);
    expect((await api(server.url, 'GET', '/v1/throughput', undefined)).status).toBe(401);
    const unknown = await throughput('?gatway=x');
    expect(unknown).toMatchObject({ status: 400, json: { field: 'gatway' } });
    expect((await throughput(`?gateway=${'x'.repeat(129)}`)).json).toMatchObject({ field: 'gateway' });
    expect((await throughput('?gateway=nobody')).json.devices).toEqual([]);
  });

  it('keeps trend slots 7 days whatever the data retention, deleting older ones in batches', async () => {
    clock.offsetMs = -8 * 24 * HOUR;
    // Three half-hour slots over 8 days old, one 6 days old.
    for (let i = 0; i < 3; i++) {
      clock.offsetMs += 40 * MIN;
      expect((await beat(gw.silent, 3, perfSummary())).status).toBe(200);
    }
    clock.offsetMs = -6 * 24 * HOUR;
    expect((await beat(gw.silent, 3, perfSummary())).status).toBe(200);
    clock.offsetMs = 0;
    const report = await runRetention(server.store, { days: 30, faceCropDays: 7, batchRows: 2 }, clock.now());
    expect(report.perfSlots).toBe(3);
    expect((await runRetention(server.store, { days: 30, faceCropDays: 7 }, clock.now())).perfSlots).toBe(0);
    const week = await server.store.throughput({ gatewayId: gw.silent.id, from: clock.now() - 7 * 24 * HOUR, to: clock.now() + HOUR });
    expect(week.trend.reduce((n, b) => n + b.samples, 0)).toBe(2);
  });
});

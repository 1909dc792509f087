import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { PATHS, type SyncRecord } from '../wire';
import { ADMIN_TOKEN, api, BACKENDS, batch, createEnrolmentToken, enrolGateway, sendSigned, skipBackend, startTestServer, useDatabases, type TestGateway } from './helpers/central';

const dbs = useDatabases();
/** Local midnight of 2026-11-21 in Asia/Ho_Chi_Minh (UTC+7), in the past (central refuses future times). */
const MIDNIGHT = Date.UTC(2026, 10, 20, 17, 0);
const MIN = 60_000;

const stat = (seq: number, zoneId: string, minute: number, crossings?: { in: number | null; out: number | null }): SyncRecord => ({
  seq,
  kind: 'queue_stat',
  at: minute + MIN,
  payload: {
    cameraId: 'door',
    zoneId,
    minute,
    avgCount: 1,
    maxCount: 2,
    departures: 0,
    estWaitS: null,
    occupiedRatio: null,
    ...(crossings ? { crossingsIn: crossings.in, crossingsOut: crossings.out } : {}),
  },
});

describe.each(BACKENDS)('footfall at central on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  let gate: TestGateway;
  let back: TestGateway;
  let other: TestGateway;

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend));
    gate = await enrolGateway(server.url, 'hcm');
    back = await enrolGateway(server.url, 'hcm');
    other = await enrolGateway(server.url, 'hn');
  });
  afterAll(() => server?.close());

  const read = async (path: string, token: string | undefined = ADMIN_TOKEN) => api(server.url, 'GET', path, token);

  it('stores the crossings a version 2 gateway sends and serves them per minute, null for other zones', async () => {
    const sent = await sendSigned(
      server.url,
      PATHS.ingest,
      gate,
      batch(gate.id, [
        stat(1, 'entrance', MIDNIGHT - 2 * MIN, { in: 3, out: 1 }),
        stat(2, 'entrance', MIDNIGHT - MIN, { in: 2, out: 0 }),
        stat(3, 'entrance', MIDNIGHT, { in: 4, out: 2 }),
        stat(4, 'queue', MIDNIGHT),
      ]),
    );
    expect(sent).toMatchObject({ status: 200, json: { stored: 4 } });
    const { json } = await read(`/v1/queue-stats?site=hcm&from=${MIDNIGHT - 60 * MIN}&to=${MIDNIGHT + 60 * MIN}`);
    const series = json.series as Array<Record<string, unknown>>;
    expect(series.map((r) => [r.zoneId, r.minute, r.crossingsIn, r.crossingsOut])).toEqual([
      ['entrance', MIDNIGHT - 2 * MIN, 3, 1],
      ['entrance', MIDNIGHT - MIN, 2, 0],
      ['entrance', MIDNIGHT, 4, 2],
      ['queue', MIDNIGHT, null, null],
    ]);
  });

  it('accepts a version 1 gateway batch without crossings and stores its stats with null crossings', async () => {
    const old = { ...batch(back.id, [stat(1, 'queue', MIDNIGHT + 5 * MIN)]), version: 1 };
    expect(await sendSigned(server.url, PATHS.ingest, back, old)).toMatchObject({ status: 200, json: { stored: 1 } });
    const heartbeat = { version: 1, gatewayId: back.id, at: Date.now(), cameras: [], backlog: 0, oldestUnsentAt: null, dropped: 0 };
    expect((await sendSigned(server.url, PATHS.heartbeat, back, heartbeat)).status).toBe(200);
    const enrolled = await api(server.url, 'POST', PATHS.enrol, undefined, { version: 1, token: await createEnrolmentToken(server.url, 'hcm') });
    expect(enrolled.status).toBe(200);
    const { json } = await read(`/v1/queue-stats?gateway=${back.id}&from=${MIDNIGHT}&to=${MIDNIGHT + 60 * MIN}`);
    expect(json.series).toEqual([expect.objectContaining({ zoneId: 'queue', minute: MIDNIGHT + 5 * MIN, crossingsIn: null, crossingsOut: null })]);
    // Crossings that do not fit the column are refused by name.
    const huge = await sendSigned(server.url, PATHS.ingest, back, batch(back.id, [stat(2, 'entrance', MIDNIGHT, { in: 2 ** 31, out: 0 })]));
    expect(huge).toMatchObject({ status: 400, json: { field: 'records[0].payload.crossingsIn', record: 0 } });
  });

  it('answers daily footfall per site in the given time zone, every gateway of a site together', async () => {
    // The site's second gateway counts its own door; another site counts too.
    await sendSigned(server.url, PATHS.ingest, back, batch(back.id, [stat(3, 'side', MIDNIGHT + 30 * MIN, { in: 1, out: 6 })]));
    await sendSigned(server.url, PATHS.ingest, other, batch(other.id, [stat(1, 'entrance', MIDNIGHT - 10 * MIN, { in: 9, out: 9 })]));
    const range = `from=${MIDNIGHT - 86_400_000}&to=${MIDNIGHT + 86_400_000}`;
    const hcm = await read(`/v1/footfall?site=hcm&${range}&tz=Asia/Ho_Chi_Minh`);
    expect(hcm.status).toBe(200);
    expect(hcm.json).toMatchObject({ timeZone: 'Asia/Ho_Chi_Minh' });
    expect(hcm.json.sites).toEqual([
      {
        siteId: 'hcm',
        days: [
          { date: '2026-11-20', in: 5, out: 1 },
          { date: '2026-11-21', in: 5, out: 8 },
        ],
        total: { in: 10, out: 9 },
        zones: [
          { cameraId: 'door', zoneId: 'entrance', days: [{ date: '2026-11-20', in: 5, out: 1 }, { date: '2026-11-21', in: 4, out: 2 }], total: { in: 9, out: 3 } },
          { cameraId: 'door', zoneId: 'side', days: [{ date: '2026-11-21', in: 1, out: 6 }], total: { in: 1, out: 6 } },
        ],
      },
    ]);
    // In UTC all of it falls on 20 November; without a site, every site is listed.
    const utc = await read(`/v1/footfall?${range}&tz=UTC`);
    expect((utc.json.sites as Array<{ siteId: string; days: unknown }>).map((s) => [s.siteId, s.days])).toEqual([
      ['hcm', [{ date: '2026-11-20', in: 10, out: 9 }]],
      ['hn', [{ date: '2026-11-20', in: 9, out: 9 }]],
    ]);
  });

  it('names the bad parameter and lets security and ops read it, nobody without a token', async () => {
    expect(await read('/v1/footfall?tz=Mars/Olympus')).toMatchObject({ status: 400, json: { field: 'tz' } });
    expect(await read(`/v1/footfall?from=${MIDNIGHT}&to=${MIDNIGHT - 1}`)).toMatchObject({ status: 400, json: { field: 'to' } });
    expect(await read(`/v1/footfall?from=${MIDNIGHT}&to=${MIDNIGHT + 93 * 86_400_000}`)).toMatchObject({ status: 400, json: { field: 'to' } });
    expect(await read('/v1/footfall?day=today')).toMatchObject({ status: 400, json: { field: 'day' } });
    expect((await api(server.url, 'GET', '/v1/footfall', undefined)).status).toBe(401);
    for (const role of ['security', 'ops'] as const) {
      const made = await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: `${role} reader`, role });
      expect((await read(`/v1/footfall?site=hcm`, String(made.json.token))).status).toBe(200);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { runRetention } from '../server/retention';
import { PATHS, startOfLocalDay, type SyncRecord } from '../wire';
import { ADMIN_TOKEN, api, batch, BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, TestClock, useDatabases, type TestGateway } from './helpers/central';
import { rawQuery } from './helpers/raw-sql';

const dbs = useDatabases();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SLOT = 15 * MIN;
const HCM = 'Asia/Ho_Chi_Minh';

interface Stat {
  siteId: string;
  gatewayId: string;
  cameraId: string;
  zoneId: string;
  minute: number;
  maxCount: number;
  estWaitS: number | null;
  crossingsIn: number | null;
  crossingsOut: number | null;
}
interface SiteRow {
  siteId: string;
  siteName: string | null;
  footfall: { in: number; out: number } | null;
  avgWaitS: number | null;
  maxWaitS: number | null;
  peakQueue: number;
  zoneCount: number;
  maxWaitZone: { cameraId: string; zoneId: string } | null;
  peakZone: { cameraId: string; zoneId: string } | null;
  lastMinute: number;
}
interface SlotRow {
  at: number;
  in: number;
  out: number;
  avgWaitS: number | null;
  maxWaitS: number | null;
  peakQueue: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** What the rollup must equal: the same figures computed here from the raw minutes (GET /v1/queue-stats). */
function expectedSites(raw: readonly Stat[]) {
  const sites = new Map<string, Stat[]>();
  for (const s of raw) sites.set(s.siteId, [...(sites.get(s.siteId) ?? []), s]);
  return [...sites].map(([siteId, rows]) => {
    const waits = rows.flatMap((r) => (r.estWaitS === null ? [] : [r.estWaitS]));
    const lines = rows.filter((r) => r.crossingsIn !== null || r.crossingsOut !== null);
    return {
      siteId,
      footfall: lines.length ? { in: lines.reduce((t, r) => t + (r.crossingsIn ?? 0), 0), out: lines.reduce((t, r) => t + (r.crossingsOut ?? 0), 0) } : null,
      avgWaitS: waits.length ? round1(waits.reduce((a, b) => a + b, 0) / waits.length) : null,
      maxWaitS: waits.length ? Math.max(...waits) : null,
      peakQueue: Math.max(...rows.map((r) => r.maxCount)),
      zoneCount: new Set(rows.map((r) => `${r.cameraId}/${r.zoneId}`)).size,
      lastMinute: Math.max(...rows.map((r) => r.minute)),
    };
  });
}

function expectedSeries(raw: readonly Stat[]): SlotRow[] {
  const slots = new Map<number, Stat[]>();
  for (const s of raw) {
    const at = s.minute - (s.minute % SLOT);
    slots.set(at, [...(slots.get(at) ?? []), s]);
  }
  return [...slots]
    .sort(([a], [b]) => a - b)
    .map(([at, rows]) => {
      const waits = rows.flatMap((r) => (r.estWaitS === null ? [] : [r.estWaitS]));
      return {
        at,
        in: rows.reduce((t, r) => t + (r.crossingsIn ?? 0), 0),
        out: rows.reduce((t, r) => t + (r.crossingsOut ?? 0), 0),
        avgWaitS: waits.length ? round1(waits.reduce((a, b) => a + b, 0) / waits.length) : null,
        maxWaitS: waits.length ? Math.max(...waits) : null,
        peakQueue: Math.max(...rows.map((r) => r.maxCount)),
      };
    });
}

describe.each(BACKENDS)('queues today across sites, from the quarter-hour rollup, on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  const clock = new TestClock();
  // The server's "now": 10:00 in Ho Chi Minh City (03:00 UTC) on a past day, so HCM's today began
  // 7 hours before UTC's: minutes in between are today in HCM and yesterday in UTC.
  const hcmMidnight = startOfLocalDay(Date.now() - 2 * DAY, HCM);
  const utcMidnight = hcmMidnight + 7 * HOUR;
  let url: string;
  let server: CentralServer;
  const gw = {} as Record<'hcm1' | 'hcm2' | 'dn', TestGateway>;
  const seqs = new Map<string, number>();
  const tokens = { security: '', ops: '' };

  const stat = (cameraId: string, zoneId: string, minute: number, maxCount: number, estWaitS: number | null, crossings?: [number, number]): SyncRecord['payload'] & object => ({
    cameraId,
    zoneId,
    minute,
    avgCount: maxCount / 2,
    maxCount,
    departures: 1,
    estWaitS,
    occupiedRatio: 0.5,
    ...(crossings ? { crossingsIn: crossings[0], crossingsOut: crossings[1] } : {}),
  });
  const send = async (g: TestGateway, payloads: Array<ReturnType<typeof stat>>) => {
    const records = payloads.map((payload) => {
      const seq = (seqs.get(g.id) ?? 0) + 1;
      seqs.set(g.id, seq);
      return { seq, kind: 'queue_stat', at: (payload as { minute: number }).minute + MIN, payload } as SyncRecord;
    });
    const res = await sendSigned(server.url, PATHS.ingest, g, batch(g.id, records), { now: clock.now() });
    expect(res).toMatchObject({ status: 200, json: { stored: records.length } });
  };
  const today = (query = '', token = tokens.ops) => api(server.url, 'GET', `/v1/queues/today${query}`, token);
  const raw = async (from: number, to: number) =>
    ((await api(server.url, 'GET', `/v1/queue-stats?from=${from}&to=${to}&limit=50000`, ADMIN_TOKEN)).json.series as Stat[]);

  beforeAll(async () => {
    clock.offsetMs = hcmMidnight + 10 * HOUR - Date.now();
    url = await dbs.fresh(backend);
    server = await startTestServer(url, { now: clock.now });
    gw.hcm1 = await enrolGateway(server.url, 'hcm');
    gw.hcm2 = await enrolGateway(server.url, 'hcm');
    gw.dn = await enrolGateway(server.url, 'dn');
    await enrolGateway(server.url, 'quiet');
    for (const role of ['security', 'ops'] as const) tokens[role] = String((await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: role, role })).json.token);

    const h = hcmMidnight;
    // hcm, entrance line zone: 02:00-02:04 local (yesterday in UTC) and 08:00-08:02 local.
    await send(gw.hcm1, [0, 1, 2, 3, 4].map((m) => stat('door', 'entrance', h + 2 * HOUR + m * MIN, 1, null, [m + 1, 1])));
    await send(gw.hcm1, [0, 1, 2].map((m) => stat('door', 'entrance', h + 8 * HOUR + m * MIN, 2, null, [10, 2])));
    // The site's second gateway reports the same camera and zone id for the same minute: both count.
    await send(gw.hcm2, [stat('door', 'entrance', h + 8 * HOUR, 3, null, [5, 5])]);
    // hcm, till queue: 08:10-08:19 local (two quarter hours), waits 30..120 s.
    await send(gw.hcm1, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((m) => stat('till', 'q1', h + 8 * HOUR + 10 * MIN + m * MIN, 2 + m, 30 + 10 * m)));
    // dn: one minute before HCM's midnight (yesterday everywhere) and two this morning.
    await send(gw.dn, [stat('cam', 'q', h - 30 * MIN, 40, 900), stat('cam', 'q', h + 9 * HOUR, 4, 200), stat('cam', 'q', h + 9 * HOUR + MIN, 6, null)]);
  });
  afterAll(() => server?.close());

  it('answers every site for today in Ho Chi Minh City by default, equal to sums of the raw minutes, sorted by wait', async () => {
    const { status, json } = await today();
    expect(status).toBe(200);
    expect(json).toMatchObject({ timeZone: HCM, from: hcmMidnight, to: hcmMidnight + DAY });
    const sites = json.sites as SiteRow[];
    const expected = expectedSites(await raw(hcmMidnight, hcmMidnight + DAY));
    // dn's average wait (200 s) is longer than hcm's, so it comes first; the quiet site has no stats today.
    expect(sites.map((s) => s.siteId)).toEqual(['dn', 'hcm']);
    for (const site of sites) expect(site).toMatchObject(expected.find((e) => e.siteId === site.siteId)!);
    // Written out once, so that the comparison above cannot pass on two equal mistakes.
    expect(sites.find((s) => s.siteId === 'hcm')).toMatchObject({
      siteName: 'Site hcm',
      footfall: { in: 1 + 2 + 3 + 4 + 5 + 30 + 5, out: 5 + 6 + 5 },
      avgWaitS: 75,
      maxWaitS: 120,
      peakQueue: 11,
      zoneCount: 2,
      maxWaitZone: { cameraId: 'till', zoneId: 'q1' },
      peakZone: { cameraId: 'till', zoneId: 'q1' },
    });
    expect(sites.find((s) => s.siteId === 'dn')).toMatchObject({ footfall: null, avgWaitS: 200, maxWaitS: 200, peakQueue: 6 });
  });

  it('cuts the day in the time zone asked for (UTC: the small hours of HCM are yesterday)', async () => {
    const { json } = await today('?tz=UTC');
    expect(json).toMatchObject({ timeZone: 'UTC', from: utcMidnight, to: utcMidnight + DAY });
    const hcm = (json.sites as SiteRow[]).find((s) => s.siteId === 'hcm')!;
    expect(hcm).toMatchObject(expectedSites(await raw(utcMidnight, utcMidnight + DAY)).find((e) => e.siteId === 'hcm')!);
    expect(hcm.footfall).toEqual({ in: 30 + 5, out: 6 + 5 });
  });

  it('stays exact when a gateway re-sends a minute with new values (a lower maximum replaces the old one)', async () => {
    const h = hcmMidnight;
    // The 08:19 minute said 11 people and 120 s; corrected to 3 people and 40 s.
    await send(gw.hcm1, [stat('till', 'q1', h + 8 * HOUR + 19 * MIN, 3, 40)]);
    const { json } = await today();
    const hcm = (json.sites as SiteRow[]).find((s) => s.siteId === 'hcm')!;
    expect(hcm).toMatchObject(expectedSites(await raw(hcmMidnight, hcmMidnight + DAY)).find((e) => e.siteId === 'hcm')!);
    expect(hcm).toMatchObject({ maxWaitS: 110, peakQueue: 10, avgWaitS: 67 });
    // The same minute's line-zone counts corrected: footfall follows.
    await send(gw.hcm2, [stat('door', 'entrance', h + 8 * HOUR, 3, null, [1, 0])]);
    const after = ((await today()).json.sites as SiteRow[]).find((s) => s.siteId === 'hcm')!;
    expect(after.footfall).toEqual({ in: 1 + 2 + 3 + 4 + 5 + 30 + 1, out: 5 + 6 + 0 });
  });

  it('with a site: each zone and the quarter-hour series of the day, equal to the raw minutes', async () => {
    const { status, json } = await today('?site=hcm', tokens.security);
    expect(status).toBe(200);
    const minutes = (await raw(hcmMidnight, hcmMidnight + DAY)).filter((s) => s.siteId === 'hcm');
    expect(json.series as SlotRow[]).toEqual(expectedSeries(minutes));
    expect((json.series as SlotRow[]).map((s) => s.at)).toEqual([hcmMidnight + 2 * HOUR, hcmMidnight + 8 * HOUR, hcmMidnight + 8 * HOUR + 15 * MIN]);
    const zones = json.zones as Array<{ cameraId: string; zoneId: string; footfall: unknown; maxWaitS: number | null; peakQueue: number; series: SlotRow[] }>;
    expect(zones.map((z) => [z.cameraId, z.zoneId])).toEqual([
      ['door', 'entrance'],
      ['till', 'q1'],
    ]);
    const till = zones[1]!;
    expect(till.series).toEqual(expectedSeries(minutes.filter((m) => m.cameraId === 'till')));
    expect(till).toMatchObject({ footfall: null, maxWaitS: 110, peakQueue: 10 });
    expect(zones[0]!.footfall).toEqual({ in: 1 + 2 + 3 + 4 + 5 + 30 + 1, out: 11 });
    expect((json.sites as SiteRow[]).map((s) => s.siteId)).toEqual(['hcm']);
    // A known site without stats today: no rows, not an error; an unknown one: 404 naming site.
    expect((await today('?site=quiet')).json).toMatchObject({ sites: [], zones: [], series: [] });
    expect(await today('?site=nowhere')).toMatchObject({ status: 404, json: { field: 'site' } });
  });

  it('footfall reads the rollup and still equals the raw line-zone minutes per local day', async () => {
    const range = `from=${hcmMidnight - DAY}&to=${hcmMidnight + DAY}`;
    const { json } = await api(server.url, 'GET', `/v1/footfall?site=hcm&${range}&tz=${HCM}`, tokens.ops);
    const minutes = (await raw(hcmMidnight - DAY, hcmMidnight + DAY)).filter((s) => s.siteId === 'hcm' && s.crossingsIn !== null);
    const total = { in: minutes.reduce((t, m) => t + (m.crossingsIn ?? 0), 0), out: minutes.reduce((t, m) => t + (m.crossingsOut ?? 0), 0) };
    expect((json.sites as Array<{ siteId: string; total: unknown }>)[0]).toMatchObject({ siteId: 'hcm', total });
    expect(total).toEqual({ in: 46, out: 11 });
  });

  it('refuses what it cannot answer, naming the field, and lets only security, ops and admin read', async () => {
    expect(await today('?tz=Mars/Olympus')).toMatchObject({ status: 400, json: { field: 'tz' } });
    expect(await today('?day=monday')).toMatchObject({ status: 400, json: { field: 'day' } });
    expect((await today('', 'no-such-token')).status).toBe(401);
    expect((await today('', ADMIN_TOKEN)).status).toBe(200);
  });

  it.runIf(backend === 'sqlite')("reads one site's day from the index range queue_slots_site_slot, not all its retained slots", async () => {
    const plan = await rawQuery(url, 'EXPLAIN QUERY PLAN SELECT * FROM queue_slots WHERE site_id = ? AND slot >= ? AND slot < ? ORDER BY camera_id, zone_id, slot', ['hcm', hcmMidnight, hcmMidnight + DAY]);
    expect(plan.map((r) => String(r.detail)).join(' | ')).toMatch(/USING INDEX queue_slots_site_slot \(site_id=\? AND slot>\? AND slot<\?\)/);
  });

  it('retention deletes the rollup slots older than its cutoff with the minutes', async () => {
    const slots = () => rawQuery(url, 'SELECT site_id, slot FROM queue_slots ORDER BY slot');
    const before = await slots();
    expect(before.length).toBe(6);
    // A cutoff of 08:00 local: the 02:00 slot and dn's slot of yesterday go, the rest stays.
    const cutoff = hcmMidnight + 8 * HOUR;
    const report = await runRetention(server.store, { days: 1, faceCropDays: 1 }, cutoff + DAY);
    expect(report.removed.queueSlots).toBe(2);
    const left = await slots();
    expect(left.map((r) => Number(r.slot))).toEqual(before.map((r) => Number(r.slot)).filter((s) => s >= cutoff));
    expect(left).toHaveLength(4);
    const { json } = await today();
    expect((json.sites as SiteRow[]).find((s) => s.siteId === 'hcm')!.footfall).toEqual({ in: 31, out: 6 });
  });

  it("stays exact when a site's two gateways send the same zone's minutes at the same time", async () => {
    const h = hcmMidnight + 9 * HOUR + 30 * MIN;
    // Both gateways send the same five minutes at once, round after round, with values that change every round
    // (without the per-site lock on PostgreSQL, 60 rounds left the rollup with a round's stale sums).
    const ROUNDS = 60;
    for (let round = 1; round <= ROUNDS; round++) {
      await Promise.all(
        (['hcm1', 'hcm2'] as const).map((g, k) => send(gw[g], [0, 1, 2, 3, 4].map((m) => stat('door', 'side', h + m * MIN, round + k + m, 10 * round + m, [round + k, m])))),
      );
    }
    const minutes = (await raw(hcmMidnight, hcmMidnight + DAY)).filter((s) => s.siteId === 'hcm' && s.cameraId === 'door' && s.zoneId === 'side');
    expect(minutes).toHaveLength(10);
    const { json } = await today('?site=hcm');
    const side = (json.zones as Array<{ zoneId: string; series: SlotRow[] }>).find((z) => z.zoneId === 'side')!;
    expect(side.series).toEqual(expectedSeries(minutes));
    // The last round's values: in R + (R + 1) per minute, waits 10R + m from both, peak R + 1 + 4.
    expect(side.series).toEqual([{ at: h, in: 5 * (2 * ROUNDS + 1), out: 2 * 10, avgWaitS: 10 * ROUNDS + 2, maxWaitS: 10 * ROUNDS + 4, peakQueue: ROUNDS + 5 }]);
  });

  it('retention keeps the quarter hour that straddles its cutoff (some of its minutes are kept) and deletes it once it is past', async () => {
    const slots = async () => (await rawQuery(url, 'SELECT slot FROM queue_slots ORDER BY slot')).map((r) => Number(r.slot));
    const nine = hcmMidnight + 9 * HOUR;
    expect((await slots()).filter((s) => s >= nine)).toEqual([nine, nine + 30 * MIN]);
    // Cutoff 09:37: the quarter hours of 08:00, 08:15 and 09:00 have ended and go; 09:30 straddles it and stays.
    expect((await runRetention(server.store, { days: 1, faceCropDays: 1 }, nine + 37 * MIN + DAY)).removed.queueSlots).toBe(4);
    expect((await slots()).filter((s) => s >= hcmMidnight + 8 * HOUR)).toEqual([nine + 30 * MIN]);
    // Cutoff 09:45, the end of that quarter hour: it goes too.
    expect((await runRetention(server.store, { days: 1, faceCropDays: 1 }, nine + 45 * MIN + DAY)).removed.queueSlots).toBe(1);
    expect(await slots()).toEqual([]);
  });
});

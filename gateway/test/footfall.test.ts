import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FootfallAnswer } from '../api/features/footfall';
import { parseConfig } from '../config';
import { QueueStatStore } from '../store';
import { startApiRig, type ApiRig } from './api-rig';

/** Local midnight 2026-12-02 in Asia/Ho_Chi_Minh (UTC+7) is 17:00 UTC on 2026-12-01. */
const MIDNIGHT = Date.UTC(2026, 11, 1, 17, 0);
const minuteAt = (ms: number) => ms / 60_000;
const MIN = 60_000;

/** Two cameras with line zones (one of them with no crossings yet) and a queue zone; a disabled camera's line is not listed. */
const line = (id: string, name?: string) => ({ id, ...(name ? { name } : {}), type: 'line', points: [[0.45, 0.3], [0.45, 0.65]], inDirection: 'right' });
const queue = { id: 'q', type: 'queue', points: [[0, 0], [1, 0], [1, 1]] };
const { cameras } = parseConfig({
  site: { id: 'hcm-1', name: 'HCM', timezone: 'Asia/Ho_Chi_Minh' },
  cameras: [
    { id: 'door', url: 'rtsp://x/door', zones: [line('entrance', 'Main gate'), line('quiet'), queue] },
    { id: 'side', url: 'rtsp://x/side', zones: [line('back', 'Back door')] },
    { id: 'off', url: 'rtsp://x/off', enabled: false, zones: [line('gone')] },
  ],
});

describe('footfall API', () => {
  let rig: ApiRig;
  beforeAll(async () => {
    rig = await startApiRig({ site: { id: 'hcm-1', timeZone: 'Asia/Ho_Chi_Minh' }, cameraConfigs: () => cameras, now: () => MIDNIGHT + 45 * MIN });
    const stats = new QueueStatStore(rig.db);
    const row = (cameraId: string, zoneId: string, at: number, crossingsIn: number | null, crossingsOut: number | null) =>
      stats.upsert({ cameraId, zoneId, minute: minuteAt(at), avgCount: 0, maxCount: 1, departures: 0, estWaitSeconds: null, occupiedRatio: null, crossingsIn, crossingsOut });
    row('door', 'entrance', MIDNIGHT - 2 * MIN, 3, 1); // 23:58 on 1 December, local
    row('door', 'entrance', MIDNIGHT - 1 * MIN, 2, 0); // 23:59
    row('door', 'entrance', MIDNIGHT, 4, 2); // 00:00 on 2 December
    row('door', 'entrance', MIDNIGHT + 30 * MIN, 1, 1);
    row('door', 'entrance', MIDNIGHT + 31 * MIN, 0, 0); // a quiet minute is counted, as 0 / 0
    row('side', 'back', MIDNIGHT + 1 * MIN, 0, 5);
    row('door', 'q', MIDNIGHT, null, null); // a queue zone: no crossings, never footfall
    row('door', 'entrance', MIDNIGHT - 3 * 86_400_000, 50, 50); // days before the range
  });
  afterAll(async () => rig?.stop());

  const get = async (query: string, role: 'supervisor' | 'ops' | 'security' = 'supervisor') => {
    const res = await rig.call('GET', `/api/footfall${query}`, role);
    return { status: res.status, body: (await res.json()) as FootfallAnswer & { error?: string; field?: string } };
  };

  it('cuts days at local midnight in the site time zone, per line zone and for the site, per minute', async () => {
    const { status, body } = await get(`?from=${MIDNIGHT - 60 * MIN}&to=${MIDNIGHT + 60 * MIN}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ site: { id: 'hcm-1', timeZone: 'Asia/Ho_Chi_Minh' }, from: MIDNIGHT - 60 * MIN, to: MIDNIGHT + 60 * MIN, detail: 'minute' });
    expect(body.days).toEqual([
      { date: '2026-12-01', in: 5, out: 1 },
      { date: '2026-12-02', in: 5, out: 8 },
    ]);
    expect(body.total).toEqual({ in: 10, out: 9 });
    expect(body.zones).toEqual([
      {
        camera: 'door',
        zone: 'entrance',
        name: 'Main gate',
        days: [
          { date: '2026-12-01', in: 5, out: 1 },
          { date: '2026-12-02', in: 5, out: 3 },
        ],
        total: { in: 10, out: 4 },
        minutes: [
          { at: MIDNIGHT - 2 * MIN, in: 3, out: 1 },
          { at: MIDNIGHT - MIN, in: 2, out: 0 },
          { at: MIDNIGHT, in: 4, out: 2 },
          { at: MIDNIGHT + 30 * MIN, in: 1, out: 1 },
          { at: MIDNIGHT + 31 * MIN, in: 0, out: 0 },
        ],
      },
      { camera: 'door', zone: 'quiet', name: null, days: [], total: { in: 0, out: 0 }, minutes: [] },
      { camera: 'side', zone: 'back', name: 'Back door', days: [{ date: '2026-12-02', in: 0, out: 5 }], total: { in: 0, out: 5 }, minutes: [{ at: MIDNIGHT + MIN, in: 0, out: 5 }] },
    ]);
  });

  it('gives the same days with detail=day (quarter-hour sums), by camera and zone, and today so far by default', async () => {
    const daily = await get(`?from=${MIDNIGHT - 86_400_000}&to=${MIDNIGHT + 86_400_000}&detail=day`);
    expect(daily.status).toBe(200);
    expect(daily.body.days).toEqual([
      { date: '2026-12-01', in: 5, out: 1 },
      { date: '2026-12-02', in: 5, out: 8 },
    ]);
    expect(daily.body.zones.every((z) => z.minutes === undefined)).toBe(true);
    // A range cut inside a quarter hour counts only its minutes: 23:59 and 00:00, not 23:58.
    expect((await get(`?from=${MIDNIGHT - MIN}&to=${MIDNIGHT + MIN}&detail=day&camera=door&zone=entrance`)).body.zones).toEqual([
      {
        camera: 'door',
        zone: 'entrance',
        name: 'Main gate',
        days: [
          { date: '2026-12-01', in: 2, out: 0 },
          { date: '2026-12-02', in: 4, out: 2 },
        ],
        total: { in: 6, out: 2 },
      },
    ]);
    // Now is 00:45 local: today so far is since local midnight.
    const today = await get('');
    expect(today.body).toMatchObject({ from: MIDNIGHT, to: MIDNIGHT + 45 * MIN, days: [{ date: '2026-12-02', in: 5, out: 8 }] });
    expect(today.body.zones.map((z) => `${z.camera}/${z.zone}`)).toEqual(['door/entrance', 'door/quiet', 'side/back']);
  });

  it('names the field of a bad query', async () => {
    const bad = async (query: string) => {
      const { status, body } = await get(query);
      expect(status, query).toBe(400);
      return body.field;
    };
    expect(await bad('?from=yesterday')).toBe('from');
    expect(await bad('?detail=hour')).toBe('detail');
    expect(await bad(`?from=${MIDNIGHT}&to=${MIDNIGHT - 1}`)).toBe('to');
    expect(await bad(`?from=${MIDNIGHT}&to=${MIDNIGHT + 3 * 86_400_000}`)).toBe('to');
    expect(await bad(`?from=${MIDNIGHT}&to=${MIDNIGHT + 93 * 86_400_000}&detail=day`)).toBe('to');
    expect(await bad(`?from=${MIDNIGHT + 86_400_000}`)).toBe('from');
    expect(await bad(`?camera=${'x'.repeat(65)}`)).toBe('camera');
  });

  it('lets supervisors and ops read it, refuses security and callers without a token', async () => {
    expect((await get('', 'supervisor')).status).toBe(200);
    expect((await get('', 'ops')).status).toBe(200);
    expect((await get('', 'security')).status).toBe(403);
    expect((await fetch(`${rig.base}/api/footfall`)).status).toBe(401);
  });

  it('serves crossings per minute in the queue statistics (null for zones that are not lines)', async () => {
    const res = await rig.call('GET', `/api/queues/stats?camera=door&from=${MIDNIGHT}&to=${MIDNIGHT + MIN}`, 'supervisor');
    const { series } = (await res.json()) as { series: Array<{ zone: string; crossingsIn: number | null; crossingsOut: number | null }> };
    expect(series.map((s) => [s.zone, s.crossingsIn, s.crossingsOut])).toEqual([
      ['entrance', 4, 2],
      ['q', null, null],
    ]);
  });
});

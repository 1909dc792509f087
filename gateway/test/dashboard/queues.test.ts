import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfLocalDay } from '../../../central-sync/wire';
import { browserUnavailable, screenshot } from '../../../test-helpers/browser';
import { videoFrame } from '../../../test-helpers/media';
import type { ApiDeps, ApiRuntime } from '../../api';
import { ApiError, jsonError } from '../../api/errors';
import { queuesFeature, type QueueAlert } from '../../api/features/queues';
import { parseConfig } from '../../config';
import { saveSnapshot } from '../../snapshots';
import { EventStore, gatewayStores, openDatabase, QueueStatStore } from '../../store';
import { startRig, type DashboardRig } from './harness';

const missing = browserUnavailable();

describe('queue board API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-queues-'));
  const now = Date.now();
  const db = openDatabase(join(dir, 'q.sqlite'));
  const events = new EventStore(db);
  const config = parseConfig({
    site: { id: 's', name: 'S' },
    cameras: [
      { id: 'hall', name: 'Hall', url: 'rtsp://x/hall', zones: [
        { id: 'line', type: 'queue', points: [[0, 0], [1, 0], [1, 1]], maxLength: 4, maxWaitSeconds: 300 },
        { id: 'desk', type: 'counter', points: [[0, 0], [1, 0], [1, 1]] },
        { id: 'staff', type: 'restricted', points: [[0, 0], [1, 0], [1, 1]] },
      ] },
      { id: 'off', url: 'rtsp://x/off', enabled: false, zones: [{ id: 'q', type: 'queue', points: [[0, 0], [1, 0], [1, 1]] }] },
      { id: 'street', url: 'rtsp://x/street', zones: [{ id: 'staff', type: 'restricted', points: [[0, 0], [1, 0], [1, 1]] }] },
    ],
  });
  const app = new Hono();
  app.onError((err, c) => (err instanceof ApiError ? jsonError(c, err.status, err.message, err.field) : jsonError(c, 500, String(err))));
  const handlers = queuesFeature.handlers(
    { ...gatewayStores(db), now: () => now, cameraConfigs: () => config.cameras } as Partial<ApiDeps> as ApiDeps,
    { now: () => now } as Pick<ApiRuntime, 'now'> as ApiRuntime,
  );
  for (const route of queuesFeature.routes) app.get(route.path, handlers[`${route.method} ${route.path}`]!);

  beforeAll(async () => {
    events.start({ uid: 'stale', cameraId: 'hall', zoneId: 'line', type: 'queue_long', severity: 'medium', at: now - 3600_000 });
    events.start({ uid: 'old-day', cameraId: 'hall', zoneId: 'side', type: 'queue_long', severity: 'medium', at: now - 30 * 3600_000 });
    events.start({ uid: 'open', cameraId: 'hall', zoneId: 'line', type: 'queue_long', severity: 'medium', at: now - 60_000, data: { count: 5, estimatedWaitSeconds: 240 } });
    events.start({ uid: 'ended', cameraId: 'hall', zoneId: 'hall2', type: 'queue_long', severity: 'medium', at: now - 50_000 });
    events.end('ended', now - 10_000);
    events.start({ uid: 'crowd', cameraId: 'street', zoneId: 'square', type: 'crowding', severity: 'medium', at: now - 40_000, data: { count: 9 } });
    events.start({ uid: 'intruder', cameraId: 'street', zoneId: 'staff', trackId: 3, type: 'restricted_zone_entry', severity: 'high', at: now - 5000 });
    const saved = await saveSnapshot(join(dir, 'snapshots'), 'open', videoFrame('vtest.avi', 0), []);
    db.prepare('INSERT INTO snapshots (event_id, camera_id, taken_at, path, blurred_path) SELECT id, ?, ?, ?, ? FROM events WHERE uid = ?').run('hall', now, saved.path, saved.blurredPath, 'open');
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists open queue_long and crowding alerts only, newest first, one per zone, within a day, with snapshot flags', async () => {
    const res = await app.request('/api/queues/alerts');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: QueueAlert[] };
    expect(items.map((i) => i.uid)).toEqual(['crowd', 'open']);
    expect(items[1]).toMatchObject({ cameraId: 'hall', zoneId: 'line', type: 'queue_long', hasSnapshot: true, data: { count: 5, estimatedWaitSeconds: 240 } });
    expect(items[0]!.hasSnapshot).toBe(false);
    const older = (await (await app.request(`/api/queues/alerts?from=${now - 40 * 3600_000}&camera=hall&limit=5`)).json()) as { items: QueueAlert[] };
    expect(older.items.map((i) => i.uid)).toEqual(['open', 'old-day']);
    const bad = await app.request('/api/queues/alerts?limit=0');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('limit');
    expect((await app.request('/api/queues/alerts?type=restricted_zone_entry')).status).toBe(400);
  });

  it('gives each enabled camera its queue and counter zones with their limits', async () => {
    const res = await app.request('/api/queues/zones');
    expect(await res.json()).toEqual({
      cameras: [{ id: 'hall', name: 'Hall', zones: [{ id: 'line', name: null, type: 'queue', maxLength: 4, maxWaitSeconds: 300 }, { id: 'desk', name: null, type: 'counter' }] }],
    });
  });
});

/** The displayed count of the hall camera's queue zone `line`. */
const LINE_COUNT = '.queue-tile[data-camera="hall"][data-zone="line"] .count-value';

describe.skipIf(missing !== undefined)('queue board in a browser', () => {
  let rig: DashboardRig;
  beforeAll(async () => {
    // The demo's entrance line on the hall camera (people walking rightwards across x = 0.45 come in).
    rig = await startRig({ extraHallZones: [{ id: 'entrance', name: 'Entrance', type: 'line', points: [[0.45, 0.3], [0.45, 0.65]], inDirection: 'right' }] });
  });
  afterAll(async () => rig?.stop());

  it('shows the hall queue live, charts today, lists open alerts only, and switches to Vietnamese', async () => {
    // A restricted-zone event the supervisor must never see, and a queue alert that must show.
    const at = Date.now();
    rig.gateway.events.start({ uid: 'secret-entry', cameraId: 'street', zoneId: 'staff', trackId: 1, type: 'restricted_zone_entry', severity: 'high', at });
    rig.gateway.events.start({ uid: 'arranged-queue', cameraId: 'hall', zoneId: 'line', type: 'queue_long', severity: 'medium', at: at - 1000, data: { count: 3, estimatedWaitSeconds: 90 } });
    rig.gateway.events.start({ uid: 'arranged-crowd', cameraId: 'street', zoneId: 'square', type: 'crowding', severity: 'medium', at, data: { count: 12 } });
    // Two people in the first frame of the video, so the blurred snapshot differs from the original.
    const snapshot = await saveSnapshot(join(rig.dataDir, 'arranged'), 'arranged-crowd', videoFrame('vtest.avi', 0), [{ x1: 240, y1: 210, x2: 300, y2: 330 }, { x1: 495, y1: 150, x2: 540, y2: 250 }]);
    rig.gateway.db.prepare('INSERT INTO snapshots (event_id, camera_id, taken_at, path, blurred_path) SELECT id, ?, ?, ?, ? FROM events WHERE uid = ?').run('street', at, snapshot.path, snapshot.blurredPath, 'arranged-crowd');

    // Earlier minutes of today's statistics, for the chart to load.
    const nowMinute = Math.floor(at / 60_000);
    const midnight = new Date(at).setHours(0, 0, 0, 0) / 60_000;
    const stat = rig.gateway.db.prepare('INSERT OR REPLACE INTO queue_stats (camera_id, zone_id, minute, avg_count, max_count, departures, est_wait_s, occupied_ratio) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (let m = Math.max(nowMinute - 40, Math.ceil(midnight)); m <= nowMinute - 3; m++) stat.run('hall', 'line', m, 2 + Math.sin(m / 3) * 1.5, 4, 1, 60 + (m % 7) * 10, null);

    const { page } = await rig.loginAs('supervisor', 'en');
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()} ${new URL(res.url()).pathname}`);
    });
    await page.goto('/queues');
    expect(await page.locator('h1').textContent()).toBe('Queue board');
    await page.locator('#live-state[data-state="connected"]').waitFor({ timeout: 15_000 });
    const tile = page.locator('.queue-tile[data-camera="hall"][data-zone="line"]');
    await tile.waitFor();
    expect(await tile.locator('.limits').textContent()).toContain('1');
    expect(await page.locator('.counter[data-camera="hall"][data-zone="desk"]').count()).toBe(1);
    await page.locator(LINE_COUNT).filter({ hasText: /^\d+$/ }).waitFor();
    const first = await page.locator(LINE_COUNT).textContent();

    // uPlot draws on a canvas: some pixels must be painted.
    await page.locator('#charts .chart-card canvas').first().waitFor();
    // Pixels of the queue-length line (#0b62c4): the arranged minutes are drawn, not only the axes.
    const painted = (await page.evaluate(`(() => {
      const canvas = document.querySelector('#charts canvas');
      const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let line = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 200 && px[i] < 60 && px[i + 1] > 70 && px[i + 1] < 130 && px[i + 2] > 160) line++;
      return { width: canvas.width, line };
    })()`)) as { width: number; line: number };
    expect(painted.width).toBeGreaterThan(100);
    if (new Date(at).getHours() > 0) expect(painted.line).toBeGreaterThan(200);

    await page.locator('.alert-row[data-uid="arranged-crowd"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.alert-row[data-uid="secret-entry"]').count()).toBe(0);
    await tile.locator('.alert-flag').waitFor({ state: 'visible' });
    const thumb = page.locator('.alert-row[data-uid="arranged-crowd"] img.thumb');
    await expect.poll(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 5000 }).toBeGreaterThan(0);
    const shownSnapshot = await page.request.get((await thumb.getAttribute('src'))!);
    expect(Buffer.from(await shownSnapshot.body()).equals(readFileSync(snapshot.blurredPath))).toBe(true);
    const types = await page.locator('.alert-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
    expect(types.every((t) => t === 'queue_long' || t === 'crowding')).toBe(true);

    // The pedestrian video makes the queue count move.
    await expect.poll(() => page.locator(LINE_COUNT).textContent(), { timeout: 40_000, interval: 250 }).not.toBe(first);
    // maxLength is 1: one person is at the limit, none is normal.
    const [shown, level] = await tile.evaluate((el) => [el.querySelector('.count-value')?.textContent, el.getAttribute('data-level')]);
    expect(level).toBe(Number(shown) >= 1 ? 'bad' : 'ok');
    await screenshot(page, 'queues-supervisor-en');

    await page.click('#lang-switch');
    await page.waitForLoadState();
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.locator('h1').textContent()).toBe('Bảng theo dõi hàng chờ');
    await page.locator('#live-state[data-state="connected"]').waitFor({ timeout: 15_000 });
    await tile.locator('.count-value').filter({ hasText: /^\d+$/ }).waitFor();
    expect(await tile.locator('.level-text').textContent()).toMatch(/^(Bình thường|Gần ngưỡng|Đạt hoặc vượt ngưỡng)$/);
    expect(await page.locator('#charts .u-legend').first().textContent()).toContain('Độ dài hàng chờ');
    expect(await page.locator('.counter[data-zone="desk"] .badge').textContent()).toMatch(/^(Đang phục vụ|Trống)$/);
    // The arranged queue_long, or a newer one the video raised in the same zone (the list keeps the newest).
    await page.locator('.alert-row[data-type="queue_long"]').first().waitFor();
    await tile.locator('.alert-flag').waitFor({ state: 'visible' });
    expect(await tile.locator('.alert-flag').textContent()).toBe('Đang cảnh báo');
    await screenshot(page, 'queues-supervisor-vi');
    expect(problems).toEqual([]);
  });

  it('shows footfall today per entrance and for the site from the store and the live feed, and the departures a wait rests on', async () => {
    // Line-zone minutes of today (the site's day, Asia/Ho_Chi_Minh by default) for two entrances the
    // cameras no longer have, written as the pipeline writes them; and one of yesterday.
    const now = Date.now();
    const today = startOfLocalDay(now, 'Asia/Ho_Chi_Minh');
    const m = Math.floor(now / 60_000);
    const rows: Array<[string, string, number, number, number]> = [
      ['hall', 'side-door', m - 2, 7, 2],
      ['hall', 'side-door', m - 1, 5, 1],
      ['street', 'gate', m - 1, 1, 4],
      ['street', 'gate', Math.floor(today / 60_000) - 5, 40, 40],
    ];
    // Just after local midnight the first two minutes may be yesterday's: they are left out.
    const used = rows.filter(([, , minute], i) => i === 3 || minute * 60_000 >= today);
    const stats = new QueueStatStore(rig.gateway.db);
    for (const [camera, zone, minute, crossingsIn, crossingsOut] of used) stats.upsert({ cameraId: camera, zoneId: zone, minute, avgCount: 0, maxCount: 0, departures: 0, estWaitSeconds: null, occupiedRatio: null, crossingsIn, crossingsOut });
    const todayOf = (zone: string) => used.filter(([, z, minute]) => z === zone && minute * 60_000 >= today).reduce((t, [, , , i, o]) => ({ in: t.in + i, out: t.out + o }), { in: 0, out: 0 });

    // A crowding incident (issue 13) carries who is inside now instead of a count.
    rig.gateway.events.start({ uid: 'crowd-incident', cameraId: 'street', zoneId: 'plaza', type: 'crowding', severity: 'medium', at: now - 2000, data: { zone: 'plaza', incident: true, inside: 7, total: 9, people: [] } });

    const { page } = await rig.loginAs('supervisor', 'en');
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto('/queues');
    expect(await page.locator('#footfall-heading').textContent()).toBe('Footfall today');
    await page.locator('.alert-row[data-uid="crowd-incident"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.alert-row[data-uid="crowd-incident"]').textContent()).toContain('7 people');

    const card = (camera: string, zone: string) => page.locator(`.footfall-zone[data-camera="${camera}"][data-zone="${zone}"]`);
    const figures = async (camera: string, zone: string) => {
      const c = card(camera, zone);
      return { in: await c.locator('.footfall-in .footfall-value').textContent(), out: await c.locator('.footfall-out .footfall-value').textContent() };
    };
    await card('street', 'gate').waitFor();
    expect(await figures('street', 'gate')).toEqual({ in: String(todayOf('gate').in), out: String(todayOf('gate').out) });
    expect(await figures('hall', 'side-door')).toEqual({ in: String(todayOf('side-door').in), out: String(todayOf('side-door').out) });
    expect(await card('hall', 'entrance').locator('h3').textContent()).toBe('Entrance');
    // The whole site is the sum of its entrances.
    const sumOfCards = () =>
      page.locator('.footfall-zone').evaluateAll((cards) => cards.reduce((t, c) => ({ in: t.in + Number(c.getAttribute('data-in')), out: t.out + Number(c.getAttribute('data-out')) }), { in: 0, out: 0 }));
    const siteFigures = () => page.locator('#footfall-site').evaluate((el) => ({ in: Number(el.getAttribute('data-in')), out: Number(el.getAttribute('data-out')) }));
    expect(await siteFigures()).toEqual(await sumOfCards());
    // The pedestrian video: people cross the hall's entrance line, counted live by the rule engine.
    const entrance = card('hall', 'entrance');
    await expect.poll(async () => Number(await entrance.getAttribute('data-in')) + Number(await entrance.getAttribute('data-out')), { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    const live = (await rig.api<{ cameras: Array<{ camera: { cameraId: string }; zones: Array<{ zoneId: string; crossingsIn?: number; crossingsOut?: number }> }> }>('/api/cameras', { role: 'supervisor' })).json;
    const liveEntrance = live.cameras.find((c) => c.camera.cameraId === 'hall')!.zones.find((z) => z.zoneId === 'entrance')!;
    expect(liveEntrance.crossingsIn! + liveEntrance.crossingsOut!).toBeGreaterThan(0);
    await page.locator('.footfall-chart canvas').first().waitFor();
    // The real pipeline's live feed says what the hall queue's wait rests on.
    const realBasis = page.locator('.queue-tile[data-camera="hall"][data-zone="line"] .wait-basis');
    await realBasis.filter({ hasText: /^from \d+ departures?$/ }).waitFor({ timeout: 20_000 });
    expect(Number(await realBasis.getAttribute('data-departures'))).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'queues-footfall-en');

    // A counts message as the rule engine sends it: a queue's wait and its departures, the entrance's
    // crossings since local midnight (ahead of the stored minutes, which land once a minute).
    const counts = {
      at: now,
      cameras: [
        {
          camera: { cameraId: 'hall', state: 'streaming' },
          zones: [
            { zoneId: 'line', type: 'queue', count: 2, estimatedWaitSeconds: 120, serviceDepartures: 4 },
            { zoneId: 'entrance', type: 'line', count: 0, crossingsIn: 1000, crossingsOut: 500 },
          ],
        },
      ],
    };
    const feed = (route: Route) => route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, body: `retry: 500\nevent: counts\ndata: ${JSON.stringify(counts)}\n\n` });
    const fed = (await rig.loginAs('supervisor', 'vi')).page;
    fed.on('pageerror', (err) => problems.push(err.message));
    await fed.route('**/api/live', feed);
    await fed.goto('/queues');
    expect(await fed.locator('#footfall-heading').textContent()).toBe('Lượt người hôm nay');
    const basis = fed.locator('.queue-tile[data-camera="hall"][data-zone="line"] .wait-basis');
    await basis.filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
    expect(await basis.textContent()).toBe('từ 4 lượt rời hàng');
    expect(await basis.getAttribute('data-departures')).toBe('4');
    const fedEntrance = fed.locator('.footfall-zone[data-camera="hall"][data-zone="entrance"][data-in="1000"][data-out="500"]');
    await fedEntrance.waitFor({ timeout: 15_000 });
    expect(await fedEntrance.locator('.footfall-in .footfall-label').textContent()).toBe('Vào');
    const stored = { in: todayOf('gate').in + todayOf('side-door').in, out: todayOf('gate').out + todayOf('side-door').out };
    expect(await fed.locator('#footfall-site').evaluate((el) => [el.getAttribute('data-in'), el.getAttribute('data-out')])).toEqual([String(1000 + stored.in), String(500 + stored.out)]);
    await screenshot(fed, 'queues-footfall-live-vi');
    // English wording of the same figure.
    await page.route('**/api/live', feed);
    await page.reload();
    await page.locator('.queue-tile[data-zone="line"] .wait-basis').filter({ hasText: 'from 4 departures' }).waitFor({ timeout: 15_000 });
    expect(problems).toEqual([]);
  });

  it('keeps supervisors to queue data: alerts carry queue types only, events are refused, snapshots are blurred', async () => {
    const alerts = await rig.api<{ items: QueueAlert[] }>('/api/queues/alerts', { role: 'supervisor' });
    expect(alerts.status).toBe(200);
    expect(alerts.json.items.length).toBeGreaterThan(0);
    expect(alerts.json.items.every((a) => a.type === 'queue_long' || a.type === 'crowding')).toBe(true);
    expect((await rig.api('/api/events', { role: 'supervisor' })).status).toBe(403);
    expect((await rig.api('/api/queues/alerts', { role: 'security' })).status).toBe(403);

    const { context, page } = await rig.loginAs('supervisor', 'en');
    expect((await context.request.get('/api/events')).status()).toBe(403);
    const res = await page.goto('/events');
    expect(res?.status()).toBe(403);
    await page.locator('#forbidden').waitFor();
    await screenshot(page, 'queues-supervisor-events-403');
  });

  it('opens for ops without snapshots (ops may not see them) and refuses security', async () => {
    const ops = await rig.loginAs('ops', 'en');
    const refused: string[] = [];
    ops.page.on('response', (res) => {
      if (res.status() >= 400) refused.push(new URL(res.url()).pathname);
    });
    expect((await ops.page.goto('/queues'))?.status()).toBe(200);
    await ops.page.locator('.alert-row[data-uid="arranged-crowd"]').waitFor();
    await ops.page.locator('.queue-tile[data-zone="line"] .count-value').filter({ hasText: /^\d+$/ }).waitFor();
    expect(await ops.page.locator('img.thumb').count()).toBe(0);
    expect(refused).toEqual([]);

    // Without the live feed the board says so.
    const cut = await ops.context.newPage();
    await cut.route('**/api/live', (route) => route.abort());
    await cut.goto('/queues');
    await cut.locator('#live-state[data-state="disconnected"]').waitFor({ timeout: 10_000 });
    expect(await cut.locator('#live-state').textContent()).toBe('Disconnected, retrying…');

    const security = await rig.loginAs('security', 'en');
    expect((await security.page.goto('/queues'))?.status()).toBe(403);
  });
});

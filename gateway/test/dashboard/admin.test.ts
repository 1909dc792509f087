import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../../../test-helpers/browser';
import { CameraConfigSchema, type ZoneConfig } from '../../config';
import type { EventSink } from '../../pipeline/events';
import { ZoneRules, type MinuteStat } from '../../pipeline/rules';
import { CameraZoneStore, openDatabase } from '../../store';
import type { Track } from '../../tracking';
import { startRig, type DashboardRig } from './harness';

const missing = browserUnavailable();

/** A track whose feet stand at (x, y) in a 1000×1000 frame. */
const track = (id: number, x: number, y: number): Track => ({
  id, box: { x1: x * 1000 - 20, y1: y * 1000 - 100, x2: x * 1000 + 20, y2: y * 1000 }, score: 0.9, confirmed: true, hits: 5, firstSeen: 0, lastSeen: 0, vx: 0, vy: 0,
});
const square = (x: number, y: number, s: number): Array<[number, number]> => [[x, y], [x + s, y], [x + s, y + s], [x, y + s]];

describe('camera zones at run time (no browser)', () => {
  it('ends open zone events when the zones are replaced, and keeps the minute being counted', () => {
    const camera = CameraConfigSchema.parse({ id: 'cam', url: 'rtsp://x', zones: [{ id: 'vault', type: 'restricted', points: square(0.5, 0.5, 0.5), enterAfterSeconds: 0 }] });
    const log: Array<{ phase: string; uid: string; data?: Record<string, unknown> }> = [];
    const sink: EventSink = { start: (e) => log.push({ phase: 'start', uid: e.uid }), update: () => undefined, end: (uid, _at, data) => log.push({ phase: 'end', uid, data }) };
    const exits: string[] = [];
    const visits = { enterZone: () => undefined, exitZone: (id: number, zone: string) => exits.push(`${id}:${zone}`) };
    const minutes: MinuteStat[] = [];
    const t0 = 60_000 * 1000;
    const old = new ZoneRules(camera, 'UTC', sink, (m) => minutes.push(m), visits);
    old.update([track(1, 0.8, 0.8)], [], 1000, 1000, t0);
    old.update([track(1, 0.8, 0.8)], [], 1000, 1000, t0 + 1000);
    old.close(t0 + 1500);
    expect(log).toEqual([{ phase: 'start', uid: log[0]!.uid }, { phase: 'end', uid: log[0]!.uid, data: expect.objectContaining({ reason: 'zones_changed', inside: 0, total: 1 }) }]);
    expect(exits).toEqual(['1:vault']);

    const next = new ZoneRules({ ...camera, zones: [{ ...camera.zones[0]!, points: square(0.6, 0.6, 0.4) }] }, 'UTC', sink, (m) => minutes.push(m), visits);
    next.adoptMinutes(old);
    next.update([track(1, 0.8, 0.8)], [], 1000, 1000, t0 + 2000);
    next.update([], [], 1000, 1000, t0 + 61_000);
    // The person still inside enters the new zone afresh; the minute counts the frames before and after the change.
    expect(log.filter((e) => e.phase === 'start')).toHaveLength(2);
    expect(minutes).toEqual([expect.objectContaining({ zoneId: 'vault', maxCount: 1, avgCount: 1 })]);
  });

  it('keeps saved zones over the config file, and reports a saved set that no longer validates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-zones-'));
    try {
      const db = openDatabase(join(dir, 'z.sqlite'));
      const store = new CameraZoneStore(db);
      const cameras = [
        CameraConfigSchema.parse({ id: 'a', url: 'rtsp://a', zones: [{ id: 'old', type: 'counter', points: square(0, 0, 0.5) }] }),
        CameraConfigSchema.parse({ id: 'b', url: 'rtsp://b', enabled: false }),
      ];
      store.registerCameras(cameras, 1);
      store.registerCameras(cameras, 2);
      expect(db.prepare('SELECT id, enabled, updated_at AS at FROM cameras ORDER BY id').all()).toEqual([
        { id: 'a', enabled: 1, at: 2 },
        { id: 'b', enabled: 0, at: 2 },
      ]);
      const zones: ZoneConfig[] = [{ id: 'new', type: 'queue', points: square(0.1, 0.1, 0.3), maxLength: 4, maxWaitSeconds: 600 }];
      store.save('a', zones, 'admin1', 5);
      const problems: string[] = [];
      const effective = store.withSavedZones(cameras, (id, err) => problems.push(`${id}: ${err.message}`));
      expect(effective[0]!.zones).toEqual(zones);
      expect(cameras[0]!.zones[0]!.id).toBe('old');
      db.prepare("UPDATE camera_zones SET zones = ? WHERE camera_id = 'a'").run(JSON.stringify([{ id: 'bad', type: 'queue', points: [[0, 0]] }]));
      expect(store.withSavedZones(cameras, (id, err) => problems.push(`${id}: ${err.message}`))[0]!.zones[0]!.id).toBe('old');
      expect(problems).toEqual(["a: saved zones of camera 'a' are not valid: zones[0].points: polygon needs >= 3 points"]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Viewport coordinates of a normalised point on the zone canvas, measured now (clicks elsewhere may have scrolled). */
async function onCanvas(page: Page, x: number, y: number): Promise<[number, number]> {
  const canvas = page.locator('#zone-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  return [box.x + x * box.width, box.y + y * box.height];
}

interface ZonesView {
  cameraId: string;
  zones: Array<ZoneConfig>;
  source: 'saved' | 'config';
  updatedBy?: string;
}
interface LiveCamera {
  camera: { cameraId: string };
  zones: Array<{ zoneId: string; type: string }>;
}

describe.skipIf(missing !== undefined)('admin pages: users and tokens, cameras and zones', () => {
  let rig: DashboardRig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => rig?.stop());

  it('creates a user with a password, shows the token once, and that user logs in with name and password', async () => {
    const { page } = await rig.loginAs('admin');
    await page.goto('/admin');
    await page.fill('#user-form input[name=name]', 'thu.security');
    await page.selectOption('#user-form select[name=role]', 'security');
    await page.fill('#user-form input[name=password]', 'a long enough password');
    await page.click('#user-form button[type=submit]');
    await page.locator('#token-box').waitFor({ state: 'visible' });
    const token = await page.inputValue('#token-value');
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(await page.locator('#token-box').textContent()).toContain('it is not shown again');
    await page.locator('#users-body tr[data-user="thu.security"]').waitFor();
    await screenshot(page, 'admin-users-token-once');
    const me = await fetch(`${rig.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ name: 'thu.security', role: 'security' });
    await page.click('#token-done');
    expect(await page.locator('#token-box').isHidden()).toBe(true);
    expect(await page.inputValue('#token-value')).toBe('');
    await page.reload();
    expect(await page.content()).not.toContain(token);

    const other = await rig.browser.newContext({ baseURL: rig.url });
    const login = await other.newPage();
    await login.goto('/login');
    await login.check('input[name=mode][value=password]');
    await login.fill('input[name=name]', 'thu.security');
    await login.fill('input[name=password]', 'a long enough password');
    await login.click('button[type=submit]');
    await login.waitForURL((u) => u.pathname !== '/login');
    expect(await login.locator('.user').getAttribute('data-role')).toBe('security');

    // Removing the user (with the row's confirmation) ends their session too.
    const row = page.locator('#users-body tr[data-user="thu.security"]');
    await row.locator('button.danger').click();
    await row.locator('button[data-confirm]').click();
    await row.waitFor({ state: 'detached' });
    expect((await other.request.get('/api/me')).status()).toBe(401);
    await other.close();
  });

  it('draws a queue zone on camera hall over its still frame, moves a corner, saves, and the running pipeline uses it', async () => {
    const { page } = await rig.loginAs('admin');
    await page.goto('/admin/zones?camera=hall');
    await page.locator('#zone-list li[data-zone=line]').waitFor();
    await page.locator('#zone-still:not([hidden])').waitFor({ timeout: 20_000 });
    expect(await page.locator('#zone-still-state').textContent()).toMatch(/\(\d+×\d+\)/);

    await page.click('#zone-add');
    for (const [x, y] of [[0.55, 0.1], [0.95, 0.1], [0.95, 0.3], [0.55, 0.3]] as const) await page.mouse.click(...(await onCanvas(page, x, y)));
    await page.click('#zone-close');
    await page.fill('#zone-form input[name=id]', 'window2');
    await page.fill('#zone-form input[name=name]', 'Quầy 2');
    await page.selectOption('#zone-form select[name=type]', 'queue');
    await page.fill('#zone-form input[name=maxLength]', '5');
    // Drag the lower right corner further down.
    await page.mouse.move(...(await onCanvas(page, 0.95, 0.3)));
    await page.mouse.down();
    await page.mouse.move(...(await onCanvas(page, 0.9, 0.38)), { steps: 4 });
    await page.mouse.up();
    await page.click('#zone-save');
    await page.locator('#zone-saved:not([hidden]), #zone-error:not([hidden])').waitFor();
    expect(await page.locator('#zone-error').isHidden(), await page.locator('#zone-error').textContent() ?? '').toBe(true);
    await screenshot(page, 'admin-zones-saved');

    const saved = await rig.api<ZonesView>('/api/cameras/hall/zones');
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ cameraId: 'hall', source: 'saved', updatedBy: 'admin1' });
    expect(saved.json.zones.map((z) => z.id)).toEqual(['line', 'desk', 'window2']);
    const drawn = saved.json.zones[2]!;
    expect(drawn).toMatchObject({ type: 'queue', name: 'Quầy 2', maxLength: 5, maxWaitSeconds: 900 });
    const expected = [[0.55, 0.1], [0.95, 0.1], [0.9, 0.38], [0.55, 0.3]];
    drawn.points.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(expected[i]![0]!, 2);
      expect(y).toBeCloseTo(expected[i]![1]!, 2);
    });
    const live = await rig.api<{ cameras: LiveCamera[] }>('/api/cameras');
    expect(live.json.cameras.find((c) => c.camera.cameraId === 'hall')!.zones).toContainEqual(expect.objectContaining({ zoneId: 'window2', type: 'queue' }));
    // The camera kept streaming through the change.
    await expect.poll(async () => (await rig.api<{ cameras: Array<LiveCamera & { camera: { state: string } }> }>('/api/cameras')).json.cameras.find((c) => c.camera.cameraId === 'hall')!.camera.state).toBe('streaming');

    // Saved in SQLite (what the gateway applies at its next start), the cameras table written, and audited.
    const atStart = new CameraZoneStore(rig.gateway.db).withSavedZones(rig.gateway.config.cameras, (id, err) => {
      throw new Error(`${id}: ${err.message}`);
    });
    expect(atStart.find((c) => c.id === 'hall')!.zones.map((z) => z.id)).toEqual(['line', 'desk', 'window2']);
    expect(rig.gateway.db.prepare('SELECT id, enabled FROM cameras ORDER BY id').all()).toEqual([
      { id: 'hall', enabled: 1 },
      { id: 'street', enabled: 1 },
    ]);
    const audit = await rig.api<{ entries: Array<{ user: string; action: string; subject: string; detail?: string }> }>('/api/audit');
    expect(audit.json.entries).toContainEqual({ at: expect.any(Number), user: 'admin1', action: 'update_zones', subject: 'camera:hall', detail: 'line:queue, desk:counter, window2:queue' });
  });

  it('shows the server error naming the field when a 2-point polygon is saved, and saves nothing; then arms a restricted zone on a schedule', async () => {
    const { page } = await rig.loginAs('admin', 'vi');
    await page.goto('/admin/zones?camera=street');
    await page.locator('#zone-list li[data-zone=staff]').waitFor();
    await page.click('#zone-add');
    await page.mouse.click(...(await onCanvas(page, 0.1, 0.1)));
    await page.mouse.click(...(await onCanvas(page, 0.3, 0.2)));
    await page.click('#zone-close');
    await page.click('#zone-save');
    await page.locator('#zone-error').waitFor({ state: 'visible' });
    expect(await page.locator('#zone-error').textContent()).toContain('zones[1].points: polygon needs >= 3 points');
    expect(await page.locator('#zone-list li[data-index="1"]').getAttribute('class')).toContain('invalid');
    await screenshot(page, 'admin-zones-error');
    const after = await rig.api<ZonesView>('/api/cameras/street/zones');
    expect(after.json).toMatchObject({ source: 'config' });
    expect(after.json.zones.map((z) => z.id)).toEqual(['staff']);

    await page.click('#zone-delete');
    await page.click('#zone-list li[data-zone=staff]');
    await page.check('#zone-form input[name=scheduled]');
    const window = page.locator('#zone-windows fieldset[data-window="0"]');
    await window.locator('input[type=time]').first().fill('08:30');
    await window.locator('label.day', { hasText: 'T7' }).locator('input').check();
    await page.click('#zone-save');
    await page.locator('#zone-saved:not([hidden])').waitFor();
    await screenshot(page, 'admin-zones-schedule-vi');
    const scheduled = await rig.api<ZonesView>('/api/cameras/street/zones');
    expect(scheduled.json.zones).toEqual([
      expect.objectContaining({ id: 'staff', type: 'restricted', schedule: { windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '08:30', end: '07:00' }] } }),
    ]);
    expect((await rig.api<{ error: string }>('/api/cameras/nowhere/still')).status).toBe(404);
  });

  it('refuses supervisors: the 403 page for /admin and /admin/zones, and 403 from PUT zones', async () => {
    const { context, page } = await rig.loginAs('supervisor', 'vi');
    for (const path of ['/admin', '/admin/zones']) {
      const res = await page.goto(path);
      expect(res!.status()).toBe(403);
      await page.locator('#forbidden').waitFor();
    }
    expect(await page.locator('header nav a[href="/admin"]').count()).toBe(0);
    await screenshot(page, 'admin-forbidden-supervisor-vi');
    const body = { zones: [] };
    expect((await rig.api('/api/cameras/hall/zones', { method: 'PUT', body, role: 'supervisor' })).status).toBe(403);
    expect((await context.request.put('/api/cameras/hall/zones', { data: body, headers: { origin: rig.url } })).status()).toBe(403);
    expect((await rig.api<ZonesView>('/api/cameras/hall/zones')).json.zones).toHaveLength(3);
  });
});

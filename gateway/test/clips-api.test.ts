import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot } from '../../test-helpers/browser';
import { waitFor } from '../../test-helpers/processes';
import { CameraSimulator, CameraStream } from '../../streams';
import type { ApiDeps } from '../api';
import { ClipsConfigSchema, createClips, type ClipAccess, type Clips } from '../clips';
import { openDatabase, type Db } from '../store';
import { rigToken, startApiRig, type ApiRig } from './api-rig';

const skipBrowser = browserUnavailable();
let sim: CameraSimulator;
let dir: string;
let db: Db;
let clips: Clips;
let rig: ApiRig;
let eventId: number;
let clipBytes: Buffer;
let clipSeconds: number;

/** A real clip: the simulator's camera into the clip buffer, an event of 2 s with 3 s before and 2 s after. */
beforeAll(async () => {
  sim = await CameraSimulator.start({ cameras: [{ name: 'cam1' }] });
  dir = mkdtempSync(join(tmpdir(), 'gw-clips-api-'));
  db = openDatabase(join(dir, 'clips.sqlite'));
  clips = createClips({ config: ClipsConfigSchema.parse({ preRollSeconds: 3, postRollSeconds: 2 }), dataDir: dir, db, log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  const stream = new CameraStream({ id: 'cam1', url: sim.url('cam1'), detectFps: 2, detectSize: { width: 320, height: 180 } }, { segments: clips.bufferFor('cam1') });
  stream.start();
  const access: ClipAccess = clips.access;
  const deps: Partial<ApiDeps> & { clips: ClipAccess } = { clips: access };
  rig = await startApiRig(deps);
  await waitFor(() => access.usage().cameras[0]!.segments >= 2, 30_000);
  const at = Date.now();
  eventId = rig.events.start({ uid: 'ev-api', cameraId: 'cam1', type: 'restricted_zone_entry', severity: 'high', at, zoneId: 'z' });
  // Clip rows in their own database file here (the gateway keeps one): the API finds a clip by its event's uid.
  clips.eventStarted({ uid: 'ev-api', cameraId: 'cam1', type: 'restricted_zone_entry', at });
  await new Promise((r) => setTimeout(r, 2000));
  clips.eventEnded('ev-api', Date.now());
  await waitFor(() => access.ofEvent('ev-api').state === 'ready', 30_000, 200);
  await stream.stop();
  const view = access.ofEvent('ev-api');
  if (view.state !== 'ready') throw new Error(`no clip: ${JSON.stringify(view)}`);
  clipSeconds = view.durationMs / 1000;
  clipBytes = readFileSync(access.file('ev-api')!);
}, 90_000);
afterAll(async () => {
  await rig?.stop();
  await clips?.close();
  db?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const clipAudits = () => rig.audit().filter((a) => a.action === 'view_clip');

describe('clip API', () => {
  it('serves the MP4 to security (whole and by byte range), audits the view once, and refuses supervisors and ops', async () => {
    const info = (await (await rig.call('GET', `/api/events/${eventId}/clip/info`, 'security')).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ state: 'ready', truncated: false, url: `/api/events/${eventId}/clip` });

    const whole = await rig.call('GET', `/api/events/${eventId}/clip`, 'security');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(clipBytes)).toBe(true);

    const part = await fetch(`${rig.base}/api/events/${eventId}/clip`, { headers: { authorization: `Bearer ${rigToken('security')}`, range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${clipBytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(clipBytes.subarray(100, 200))).toBe(true);
    // One playback is one audited view, however many ranges the player asks for.
    expect(clipAudits()).toEqual([{ user: 'security1', action: 'view_clip', subject: `event:${eventId}` }]);

    const bad = await fetch(`${rig.base}/api/events/${eventId}/clip`, { headers: { authorization: `Bearer ${rigToken('security')}`, range: `bytes=${clipBytes.length + 10}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${clipBytes.length}`);
    const junk = await fetch(`${rig.base}/api/events/${eventId}/clip`, { headers: { authorization: `Bearer ${rigToken('security')}`, range: 'lines=1-2' } });
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as { field?: string }).field).toBe('range');

    for (const role of ['supervisor', 'ops'] as const) {
      for (const path of [`/api/events/${eventId}/clip`, `/api/events/${eventId}/clip/info`]) expect((await rig.call('GET', path, role)).status).toBe(403);
    }
    const admin = await rig.call('GET', `/api/events/${eventId}/clip`, 'admin');
    expect(admin.status).toBe(200);
    await admin.arrayBuffer();
    expect(clipAudits().map((a) => a.user)).toEqual(['security1', 'admin1']);
    expect((await rig.call('GET', '/api/events/999/clip', 'security')).status).toBe(404);
  });

  it('tells ops the disk used by clips and each camera buffer', async () => {
    const usage = await (await rig.call('GET', '/api/clips/usage', 'ops')).json();
    expect(usage).toMatchObject({ enabled: true, clips: { count: 1, bytes: clipBytes.length, maxBytes: 2048 * 2 ** 20 }, cameras: [{ cameraId: 'cam1', codec: 'h264', unsupported: null }] });
    expect((await rig.call('GET', '/api/clips/usage', 'security')).status).toBe(403);
  });
});

describe.skipIf(skipBrowser)('event page clip in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('plays the clip in the event page video for security', async () => {
    const context = await browser.newContext({ baseURL: rig.base });
    try {
      await context.addCookies([{ name: 'lang', value: 'en', url: rig.base }]);
      const login = await context.request.post('/api/login', { data: { token: rigToken('security') }, headers: { origin: rig.base } });
      expect(login.status()).toBe(200);
      const page = await context.newPage();
      await page.goto(`/events/${eventId}`);
      // Browser-side code as strings: the test project's TypeScript has no DOM types.
      expect(await page.evaluate(`document.createElement('video').canPlayType('video/mp4; codecs="avc1.42E01E"')`)).not.toBe('');
      const video = "document.getElementById('event-clip')";
      // The page's CSP forbids eval, which waitForFunction needs: poll instead.
      await expect.poll(() => page.evaluate(`${video}?.readyState ?? 0`), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      const duration = (await page.evaluate(`${video}.duration`)) as number;
      expect(Math.abs(duration - clipSeconds)).toBeLessThanOrEqual(1);
      expect(await page.locator('#event-clip-state').getAttribute('data-state')).toBe('ready');
      // It plays: time advances.
      await page.evaluate(`(() => { const v = ${video}; v.muted = true; return v.play(); })()`);
      await expect.poll(() => page.evaluate(`${video}.currentTime`), { timeout: 10_000 }).toBeGreaterThan(0.5);
      await screenshot(page, 'event-clip');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows ops the disk used by clips and the camera buffer on the ops page', async () => {
    const context = await browser.newContext({ baseURL: rig.base });
    try {
      await context.addCookies([{ name: 'lang', value: 'en', url: rig.base }]);
      expect((await context.request.post('/api/login', { data: { token: rigToken('ops') }, headers: { origin: rig.base } })).status()).toBe(200);
      const page = await context.newPage();
      await page.goto('/ops');
      await expect.poll(() => page.locator('#clips-used').getAttribute('data-bytes'), { timeout: 15_000 }).toBe(String(clipBytes.length));
      expect(await page.locator('#clips-used').textContent()).toMatch(/of 2\.00 GiB · clips: 1$/);
      expect(await page.locator('#clip-buffers tr[data-camera="cam1"] td').nth(2).textContent()).toBe('h264');
    } finally {
      await context.close();
    }
  }, 60_000);
});

/**
 * The path a new user hits: `npm start` (the built-in demo) with a broker URL and a local central,
 * then what issues 15 and 16 promise of it: the "Add camera" search finds the simulated ONVIF camera,
 * the MQTT feed carries the lawn incident, the incident's page plays its evidence clip in Chromium, and
 * the central's fleet shows the demo gateway's heartbeats, also on the central console's pages in
 * Chromium. One real demo process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot } from '../../test-helpers/browser';
import { BrokerProcess, Subscriber } from '../../test-helpers/mqtt-broker';
import { waitFor } from '../../test-helpers/processes';
import { startCentralServer, type CentralServer } from '../../central-sync/server';
import type { EventMessage } from '../mqtt';
import { FACE_DATA_FIELDS } from '../mqtt/face-data';

const ROOT = join(import.meta.dirname, '..', '..');
const skipBrowser = browserUnavailable();

let broker: BrokerProcess;
let sub: Subscriber;
let demo: ChildProcess;
let output = '';
let dataDir: string;
let base: string;
let token: string;
let central: CentralServer;
const CENTRAL_ADMIN = 'demo-acceptance-central-admin-0123';

const api = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
const eventMessages = () => sub.on('gateway/demo-site/events').map((m) => JSON.parse(m.payload) as EventMessage);

beforeAll(async () => {
  broker = await BrokerProcess.start();
  sub = await Subscriber.connect(broker.url, 'gateway/demo-site/#');
  dataDir = mkdtempSync(join(tmpdir(), 'gw-demo-'));
  // A local central server, and a one-time enrolment token for the demo site from its admin API.
  central = await startCentralServer({ databaseUrl: `sqlite:${join(dataDir, 'central.sqlite')}`, host: '127.0.0.1', port: 0, adminToken: CENTRAL_ADMIN });
  const enrolment = await fetch(`${central.url}/v1/admin/enrolments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CENTRAL_ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ siteId: 'demo-site', siteName: 'Demo one-stop service centre' }),
  });
  const enrolmentToken = ((await enrolment.json()) as { token: string }).token;
  // `npm start` as a new user runs it: no configuration, a free port, the broker's URL for the feed, the central's for the uplink.
  const env = { ...process.env, PORT: '0', DEMO_DATA_DIR: join(dataDir, 'gateway'), MQTT_URL: broker.url, CENTRAL_URL: central.url, CENTRAL_ENROLMENT_TOKEN: enrolmentToken, LOG_LEVEL: 'warn' };
  demo = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  demo.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  demo.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const started = await waitFor(() => /admin token: [0-9a-f]+/.test(output) || demo.exitCode !== null, 90_000, 100);
  if (!started || demo.exitCode !== null) throw new Error(`the demo did not start:\n${output}`);
  base = /is running: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
  token = /admin token: ([0-9a-f]+)/.exec(output)![1]!;
}, 120_000);

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((r) => demo.once('exit', r));
    demo.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (demo.exitCode === null) demo.kill('SIGKILL');
  }
  await sub?.close();
  await broker?.stop();
  await central?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start: the demo with issue 15', () => {
  it('prints where to add a camera and that the feed is on', () => {
    expect(output).toContain(`${base}/admin/cameras`);
    expect(output).toContain(`mqtt: ${broker.url}, topics gateway/demo-site/#`);
    expect(output).toMatch(/a simulated ONVIF camera answers the "Add camera" search/);
  });

  it('the "Add camera" search finds the simulated ONVIF camera, and its profiles read with the printed login', async () => {
    const found = (await (await api('/api/admin/discovery', { method: 'POST', body: '{}' })).json()) as { devices: Array<{ name?: string; xaddr: string }> };
    expect(found.devices.map((d) => d.name)).toEqual(['Demo lobby camera']);
    const [user, password] = /user (\S+), password (\S+)\)/.exec(output)!.slice(1) as [string, string];
    const res = await api('/api/admin/discovery/device', { method: 'POST', body: JSON.stringify({ xaddr: found.devices[0]!.xaddr, username: user, password }) });
    expect(res.status).toBe(200);
    const device = (await res.json()) as { profiles: Array<{ name: string; width: number; uri: string }> };
    expect(device.profiles.map((p) => [p.name, p.width])).toEqual([['MainStream', 960], ['SubStream', 768]]);
    expect(JSON.stringify(device)).not.toContain(password);
  }, 30_000);

  it('publishes availability, camera states and zone readings (retained), and the lawn incident starts and ends on the feed, with no face data', async () => {
    const P = 'gateway/demo-site';
    expect(await sub.waitFor((s) => s.last(`${P}/availability`)?.payload === 'online', 10_000)).toBe(true);
    expect(await sub.waitFor((s) => ['queue-hall', 'back-street'].every((id) => s.last(`${P}/cameras/${id}/state`)?.payload.includes('"streaming"')), 30_000)).toBe(true);
    expect(await sub.waitFor((s) => s.on(`${P}/zones/queue-hall/queue-a`).length > 0 && s.on(`${P}/zones/back-street/lawn`).length > 0, 30_000)).toBe(true);
    expect(JSON.parse(sub.last(`${P}/zones/queue-hall/queue-a`)!.payload)).toMatchObject({ type: 'queue', count: expect.any(Number) });
    // Retained: a subscriber arriving now (the queue display after a reboot) gets the zone and the camera state at once.
    const late = await Subscriber.connect(broker.url, `${P}/+/queue-hall/#`);
    try {
      expect(await late.waitFor((s) => s.on(`${P}/zones/queue-hall/queue-a`).length > 0 && s.on(`${P}/cameras/queue-hall/state`).length > 0)).toBe(true);
      expect(late.messages.every((m) => m.retain)).toBe(true);
    } finally {
      await late.close();
    }
    // People cross the lawn 51-79 s into the looping video; the incident ends 30 s after it empties.
    const ended = await sub.waitFor(() => eventMessages().some((m) => m.type === 'end' && m.event === 'restricted_zone_entry'), 200_000);
    expect(ended, `events so far: ${JSON.stringify(eventMessages().map((m) => [m.type, m.event]))}`).toBe(true);
    const lawn = eventMessages().filter((m) => m.event === 'restricted_zone_entry');
    expect(lawn[0]).toMatchObject({ type: 'start', camera: 'back-street', zone: 'lawn', severity: 'high', data: { incident: true } });
    expect(lawn.at(-1)).toMatchObject({ type: 'end', camera: 'back-street', zone: 'lawn' });
    expect(new Set(lawn.map((m) => m.uid)).size).toBe(1);
    // No face crops or watchlist names leave without mqtt.includeFaceData.
    const all = sub.messages.map((m) => m.payload).join('\n');
    for (const field of FACE_DATA_FIELDS) expect(all).not.toContain(`"${field}"`);
  }, 240_000);

  it.skipIf(skipBrowser)('the incident page plays its evidence clip (security view, Chromium)', async () => {
    const uid = eventMessages().find((m) => m.event === 'restricted_zone_entry')!.uid;
    const list = (await (await api('/api/events?type=restricted_zone_entry')).json()) as { items: Array<{ id: number; uid: string }> };
    const id = list.items.find((e) => e.uid === uid)!.id;
    // The clip is made once the buffer passes the post-roll (10 s) after the end.
    let info: { state: string; durationMs?: number; truncated?: boolean } = { state: 'none' };
    for (const deadline = Date.now() + 60_000; info.state !== 'ready' && Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
      info = (await (await api(`/api/events/${id}/clip/info`)).json()) as typeof info;
    }
    expect(info).toMatchObject({ state: 'ready', truncated: false });
    const browser: Browser = await launchBrowser();
    try {
      const context = await browser.newContext({ baseURL: base });
      await context.addCookies([{ name: 'lang', value: 'en', url: base }]);
      expect((await context.request.post('/api/login', { data: { token }, headers: { origin: base } })).status()).toBe(200);
      const page = await context.newPage();
      await page.goto(`/events/${id}`);
      const video = "document.getElementById('event-clip')";
      await expect.poll(() => page.evaluate(`${video}?.readyState ?? 0`), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      const duration = (await page.evaluate(`${video}.duration`)) as number;
      expect(Math.abs(duration - info.durationMs! / 1000)).toBeLessThanOrEqual(1);
      await screenshot(page, 'demo-incident-clip');
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('enrols with the local central and its heartbeats show the demo gateway with both cameras streaming, and the incident arrives there', async () => {
    expect(output).toContain(`central: ${central.url}`);
    const get = async (path: string) => (await fetch(`${central.url}${path}`, { headers: { authorization: `Bearer ${CENTRAL_ADMIN}` } })).json() as Promise<Record<string, unknown>>;
    type Fleet = { gateways: Array<{ siteId: string; heartbeat: { at: number } | null; cameras: Array<{ cameraId: string; state: string }> }> };
    let fleet: Fleet = { gateways: [] };
    const streaming = (f: Fleet) => f.gateways.length === 1 && f.gateways[0]!.heartbeat !== null && ['back-street', 'queue-hall'].every((id) => f.gateways[0]!.cameras.some((c) => c.cameraId === id && c.state === 'streaming'));
    for (const deadline = Date.now() + 30_000; !streaming(fleet) && Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) fleet = (await get('/v1/fleet')) as unknown as Fleet;
    expect(fleet.gateways.map((g) => g.siteId)).toEqual(['demo-site']);
    expect(streaming(fleet), JSON.stringify(fleet)).toBe(true);
    const uid = eventMessages().find((m) => m.event === 'restricted_zone_entry')!.uid;
    let events: Array<{ uid: string; endedAt: number | null }> = [];
    for (const deadline = Date.now() + 30_000; !events.some((e) => e.uid === uid && e.endedAt !== null) && Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
      events = ((await get('/v1/events?site=demo-site&type=restricted_zone_entry')) as { events: typeof events }).events;
    }
    expect(events.find((e) => e.uid === uid)?.endedAt).not.toBeNull();
  }, 70_000);

  it.skipIf(skipBrowser)("the central console's fleet page shows the demo gateway's heartbeat and both cameras streaming, and its events page the incident (Chromium)", async () => {
    const uid = eventMessages().find((m) => m.event === 'restricted_zone_entry')!.uid;
    const browser: Browser = await launchBrowser();
    try {
      const context = await browser.newContext({ baseURL: central.url });
      const page = await context.newPage();
      // The way a person gets in: the login form, here with the bootstrap admin token.
      await page.goto('/fleet');
      await page.check('input[name=mode][value=token]');
      await page.fill('input[name=token]', CENTRAL_ADMIN);
      await page.click('#login-form button[type=submit]');
      await page.waitForURL('**/fleet');
      const row = "document.querySelector('tr[data-site=\"demo-site\"]')";
      await expect.poll(() => page.evaluate(`${row}?.querySelectorAll('li[data-state=\"streaming\"]').length ?? 0`), { timeout: 20_000 }).toBe(2);
      expect(await page.evaluate(`${row}.hasAttribute('data-stale')`)).toBe(false);
      // The heartbeat's age as the page shows it: seconds, from a beat every 10 s.
      expect(await page.evaluate(`${row}.querySelector('td.heartbeat').textContent`)).toMatch(/\d+\s*(s|giây)/);
      await screenshot(page, 'demo-central-fleet');
      await page.goto('/events?site=demo-site');
      await expect.poll(() => page.evaluate(`document.querySelectorAll('#event-rows tr[data-uid=\"${uid}\"]').length`), { timeout: 20_000 }).toBe(1);
      await screenshot(page, 'demo-central-events');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('stops on SIGTERM, taking the feed offline', async () => {
    const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
    demo.kill('SIGTERM');
    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 30_000))])).not.toBe('hung');
    expect(await sub.waitFor((s) => s.last('gateway/demo-site/availability')?.payload === 'offline', 10_000)).toBe(true);
  }, 40_000);
});

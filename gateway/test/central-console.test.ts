import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, BACKENDS, skipBackend, useDatabases } from '../../central-sync/test/helpers/central';
import { startOfLocalDay } from '../../central-sync/wire';
import { browserUnavailable, screenshot } from '../../test-helpers/browser';
import { alive, ffmpegProcesses } from '../../test-helpers/processes';
import { startConsoleRig, until, type ConsoleRig, type RigSite } from './central-console-rig';

const dbs = useDatabases();
/** The gateways' default site time zone, which the queues page's "today" also uses. */
const SITE_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const noBrowser = browserUnavailable();

interface FleetJson {
  gateways: Array<{ gatewayId: string; siteId: string; revokedAt: number | null; sinceHeartbeatMs: number | null; cameras: Array<{ cameraId: string; state: string; reason: string | null }> }>;
}

/** A console user made through the admin API, with a password only this test knows. */
async function createUser(rig: ConsoleRig, name: string, role: 'security' | 'ops' | 'admin'): Promise<{ name: string; password: string }> {
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const r = await rig.call('POST', '/v1/admin/users', { name, role, password });
  if (r.status !== 201) throw new Error(`create user ${name}: ${r.status} ${JSON.stringify(r.json)}`);
  return { name, password };
}

/** Logs in through the real login form (name and password) and waits to land off /login; `shot` names a screenshot of the form. */
async function loginWithPassword(page: Page, user: { name: string; password: string }, shot?: string): Promise<void> {
  await page.goto('/login');
  if (shot) await screenshot(page, shot);
  await page.fill('#login-form input[name=name]', user.name);
  await page.fill('#login-form input[name=password]', user.password);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Logs in with an API token through the login form's token mode. */
async function loginWithToken(page: Page, token: string): Promise<void> {
  await page.goto('/login');
  await page.check('#login-form input[name=mode][value=token]');
  await page.fill('#login-form input[name=token]', token);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** No error shown on the page: every console page reports a failed /v1 call in a role=alert element. */
async function expectNoShownError(page: Page): Promise<void> {
  expect(await page.locator('[role=alert]:visible').allTextContents()).toEqual([]);
}

/** Marks the document; the mark survives only if the page is not reloaded or navigated. */
const markDocument = (page: Page) => page.evaluate("document.documentElement.dataset.consoleTestMark = 'kept'");
const documentMark = (page: Page) => page.evaluate('document.documentElement.dataset.consoleTestMark ?? null');

/**
 * A finished minute (minutes since the epoch) of today in the sites' time zone, which /v1/queues/today
 * reads: the minute before this one, or in the first minute of a local day, that minute once it ends
 * (a gateway sends a minute only once it is over).
 */
async function finishedMinuteOfToday(): Promise<number> {
  const dayStart = startOfLocalDay(Date.now(), SITE_TIME_ZONE);
  const minute = Math.floor(Date.now() / 60_000) - 1;
  if (minute * 60_000 >= dayStart) return minute;
  await new Promise((r) => setTimeout(r, dayStart + 60_000 - Date.now() + 500));
  return dayStart / 60_000;
}

describe.each(BACKENDS)('the central console on %s, fed by two real gateways', (backend) => {
  describe.skipIf(skipBackend(backend) || noBrowser !== undefined)(backend, () => {
    let rig: ConsoleRig;
    let north: RigSite;
    let south: RigSite;
    /** Events raised before any page opened: one per site, the north one with an update and its end. */
    const seeded: { north?: string; south?: string } = {};

    beforeAll(async () => {
      rig = await startConsoleRig(backend, await dbs.fresh(backend));
      ({ north, south } = rig);
      seeded.north = rig.raiseEvent(north, { type: 'restricted_zone_entry', severity: 'high', zoneId: 'staff', trackId: 11, data: { zone: 'staff' } });
      rig.updateEvent(north, seeded.north, { dwellSeconds: 8 });
      rig.endEvent(north, seeded.north, { dwellSeconds: 15 });
      seeded.south = rig.raiseEvent(south, { type: 'loitering', severity: 'medium', zoneId: 'yard', trackId: 4, data: { dwellSeconds: 40 } });
      // Today's queue minute at each site (the pipeline's onMinute path: queue_stats row + outbox record).
      const minute = await finishedMinuteOfToday();
      rig.queueMinute(north, { cameraId: north.camera, zoneId: 'line', minute, avgCount: 3.5, maxCount: 5, departures: 4, estWaitSeconds: 95, occupiedRatio: 0.75 });
      rig.queueMinute(south, { cameraId: south.camera, zoneId: 'line', minute, avgCount: 1, maxCount: 2, departures: 2, estWaitSeconds: 30, occupiedRatio: 0.4 });
      await Promise.all([rig.eventAtCentral(north, seeded.north, { ended: true }), rig.eventAtCentral(south, seeded.south), rig.drained(north), rig.drained(south)]);
      // Both gateways' heartbeats with their camera states: the streaming camera and the dead one.
      await until(
        'both gateways heartbeating with their camera states',
        async () => {
          const gws = (await rig.call<FleetJson>('GET', '/v1/fleet')).json.gateways;
          const n = gws.find((g) => g.gatewayId === north.gatewayId);
          const s = gws.find((g) => g.gatewayId === south.gatewayId);
          const streaming = n?.cameras.some((c) => c.cameraId === north.camera && c.state === 'streaming');
          const failing = s?.cameras.some((c) => c.cameraId === south.camera && c.state === 'reconnecting' && c.reason === 'connection_refused');
          return streaming && failing && n?.sinceHeartbeatMs !== null && s?.sinceHeartbeatMs !== null ? true : undefined;
        },
        40_000,
        500,
      );
    });
    afterAll(async () => {
      await rig?.stop();
    });
    // Every page a flow opened ran without an uncaught script error or a console error (a refused /v1 call logs one).
    afterEach(() => {
      expect(rig?.browserErrors.splice(0) ?? []).toEqual([]);
    });

    it('security: logs in with a password, sees both sites, filters by site, gets a new event live and reads its updates and end', async () => {
      const user = await createUser(rig, 'guard1', 'security');
      const { page } = await rig.newContext('en');
      await loginWithPassword(page, user, `central-console-login-${backend}`);
      expect(new URL(page.url()).pathname).toBe('/events');
      const row = (uid: string) => page.locator(`#event-rows tr[data-uid="${uid}"]`);
      await row(seeded.north!).waitFor();
      await row(seeded.south!).waitFor();
      expect(await row(seeded.north!).getAttribute('data-site')).toBe(north.id);
      expect(await row(seeded.south!).getAttribute('data-site')).toBe(south.id);
      expect(await row(seeded.north!).textContent()).toContain(north.siteName);
      await expectNoShownError(page);
      await screenshot(page, `central-console-events-${backend}`);

      // The site filter (a GET form: the filtered view is a shareable URL) narrows the list to north's events.
      await page.fill('#event-filters input[name=site]', north.id);
      await page.click('#event-filters button[type=submit]');
      await page.waitForURL((u) => u.searchParams.get('site') === north.id);
      await row(seeded.north!).waitFor();
      await expect.poll(() => page.locator('#event-rows tr[data-uid]').evaluateAll((trs) => [...new Set(trs.map((tr) => tr.getAttribute('data-site')))])).toEqual([north.id]);
      expect(await row(seeded.south!).count()).toBe(0);

      // An event raised on the north gateway after the page opened appears without a reload.
      await markDocument(page);
      const live = rig.raiseEvent(north, { type: 'intrusion', severity: 'high', zoneId: 'staff', trackId: 31, data: { zone: 'staff' } });
      await row(live).waitFor({ timeout: 30_000 });
      expect(await documentMark(page)).toBe('kept');
      expect(await row(live).getAttribute('data-new')).not.toBeNull();
      rig.updateEvent(north, live, { dwellSeconds: 6 });
      rig.endEvent(north, live, { dwellSeconds: 9 });
      const stored = await rig.eventAtCentral(north, live, { ended: true });
      await screenshot(page, `central-console-events-live-${backend}`);

      // Its detail: the start, the update and the end, read from central.
      await page.goto(`/events/${stored.id}`);
      await expect.poll(() => page.locator('#event-timeline li[data-phase]').evaluateAll((els) => els.map((el) => el.getAttribute('data-phase')))).toEqual(['start', 'update', 'end']);
      expect(await page.locator('#event-timeline li[data-phase=update]').textContent()).toMatch(/dwellSeconds\s*6/);
      expect(await page.locator('#event-timeline li[data-phase=end]').textContent()).toMatch(/dwellSeconds\s*9/);
      expect(await page.locator('main').textContent()).toContain('intrusion');
      await expectNoShownError(page);
      await screenshot(page, `central-console-event-detail-${backend}`);
    });

    it('ops: the fleet shows both gateways with real heartbeats and camera states; queues show today per site; throughput ranks both with device facts', async () => {
      const user = await createUser(rig, 'ops1', 'ops');
      const { page } = await rig.newContext('en');
      await loginWithPassword(page, user);
      await page.goto('/fleet');
      const gw = (site: RigSite) => page.locator(`[data-gateway="${site.gatewayId}"]`);
      await gw(north).waitFor();
      await gw(south).waitFor();
      // Real heartbeats every 5 s: each row shows its latest one's age in seconds.
      for (const site of [north, south]) {
        const age = await gw(site).locator('td.heartbeat > span').first().textContent();
        expect(age).toMatch(/^\d+ s ago$/);
        expect(Number(/^(\d+)/.exec(age ?? '')?.[1])).toBeLessThan(3 * 5);
      }
      const northCam = gw(north).locator(`[data-camera="${north.camera}"]`);
      const southCam = gw(south).locator(`[data-camera="${south.camera}"]`);
      expect(await northCam.getAttribute('data-state')).toBe('streaming');
      // The dead camera retries with growing backoff: between two refusals it is 'starting' for the moment ffmpeg takes
      // to be refused again (the gateway keeps the last failure's reason), else 'reconnecting'.
      expect(['reconnecting', 'starting']).toContain(await southCam.getAttribute('data-state'));
      expect(await southCam.locator('.reason').textContent()).toContain('connection_refused');
      expect(await gw(north).getAttribute('data-revoked')).toBeNull();
      await expectNoShownError(page);
      await screenshot(page, `central-console-fleet-${backend}`);

      await page.goto('/queues');
      const site = (s: RigSite) => page.locator(`#queue-rows tr[data-site="${s.id}"]`);
      await site(north).waitFor();
      await site(south).waitFor();
      expect(await site(north).textContent()).toContain(north.siteName);
      // Today's figures are the minutes the gateways sent: the longest wait and the peak queue of each site.
      expect([await site(north).getAttribute('data-max-wait'), await site(north).getAttribute('data-peak')]).toEqual(['95', '5']);
      expect([await site(south).getAttribute('data-max-wait'), await site(south).getAttribute('data-peak')]).toEqual(['30', '2']);
      // A site's detail: its zones and the day's chart (uPlot, served from node_modules).
      await site(north).locator('button.open-site').click();
      await page.locator(`#site-detail[data-site="${north.id}"] #zone-rows tr[data-camera="${north.camera}"][data-zone="line"]`).waitFor();
      await page.locator('#site-chart canvas').waitFor();
      await expectNoShownError(page);
      await screenshot(page, `central-console-queues-${backend}`);

      await page.goto('/throughput');
      await gw(north).waitFor();
      await gw(south).waitFor();
      // Ranked as central ranks them (by headroom: cameras sustained in the bench minus cameras streaming).
      const ranked = await page.locator('[data-gateway]').evaluateAll((els) => els.map((el) => [el.getAttribute('data-gateway'), el.getAttribute('data-rank')]));
      const order = (await rig.call<{ devices: Array<{ gatewayId: string }> }>('GET', '/v1/throughput?limit=50&offset=0')).json.devices.map((d) => d.gatewayId);
      expect([...order].sort()).toEqual([north.gatewayId, south.gatewayId].sort());
      expect(ranked).toEqual(order.map((id, i) => [id, String(i + 1)]));
      // Device facts from the heartbeat's performance summary: the core count of this machine.
      const summary = (await rig.call<{ devices: Array<{ gatewayId: string; perf: { device: { cores: number } } | null }> }>('GET', '/v1/throughput')).json.devices;
      const cores = summary.find((d) => d.gatewayId === north.gatewayId)?.perf?.device.cores;
      expect(cores).toBeGreaterThan(0);
      expect(await gw(north).locator('td.device').textContent()).toContain(String(cores));
      await expectNoShownError(page);
      await screenshot(page, `central-console-throughput-${backend}`);
    });

    it('admin: sees both enrolment tokens used, revokes the south gateway on the admin page; its next sync is refused and the fleet marks it revoked', async () => {
      const { page } = await rig.newContext('vi');
      await loginWithToken(page, ADMIN_TOKEN);
      await page.goto('/admin');
      expect(await page.getAttribute('html', 'lang')).toBe('vi');
      const enrolment = (s: RigSite) => page.locator(`#enrolment-rows tr[data-site="${s.id}"]`);
      await enrolment(north).waitFor();
      await enrolment(south).waitFor();
      expect(await enrolment(north).getAttribute('data-state')).toBe('used');
      expect(await enrolment(south).getAttribute('data-state')).toBe('used');
      await expectNoShownError(page);
      await screenshot(page, `central-console-admin-vi-${backend}`);

      page.once('dialog', (d) => void d.accept());
      await page.locator(`#gateway-rows tr[data-gateway="${south.gatewayId}"] button[data-action=revoke]`).click();
      await expect.poll(() => page.locator(`#gateway-rows tr[data-gateway="${south.gatewayId}"]`).getAttribute('data-state')).toBe('revoked');

      // The south gateway's next exchange is refused: its uplink reports it, its new event stays unsent.
      const unsent = rig.raiseEvent(south, { type: 'loitering', severity: 'low', data: {} });
      const status = await until('the south uplink to report the refusal', () => {
        const s = south.gateway.sync.status();
        return s.lastError?.includes('revoked') ? s : undefined;
      });
      expect(status.connected).toBe(false);
      expect(status.backlog).toBeGreaterThan(0);
      const atCentral = await rig.call<{ events: Array<{ uid: string }> }>('GET', `/v1/events?site=${south.id}`);
      expect(atCentral.json.events.map((e) => e.uid)).not.toContain(unsent);

      await page.goto('/fleet');
      await expect.poll(() => page.locator(`[data-gateway="${south.gatewayId}"]`).getAttribute('data-revoked')).not.toBeNull();
      expect(await page.locator(`[data-gateway="${north.gatewayId}"]`).getAttribute('data-revoked')).toBeNull();
      await expectNoShownError(page);
      await screenshot(page, `central-console-fleet-revoked-vi-${backend}`);
    });

    it('ops: a gateway that stops heartbeating is marked stale once central has heard nothing for the stale threshold', async () => {
      // The north gateway's ffmpeg reads the simulator until the gateway stops.
      const port = `:${rig.sim.port}/`;
      expect(ffmpegProcesses(port).length).toBeGreaterThan(0);
      await north.stop();
      expect(ffmpegProcesses(port)).toEqual([]);
      // Central's clock moves past the 5 minute threshold (routes/stale.ts) instead of the test waiting for it.
      const { staleAfterMs } = (await rig.call<{ staleAfterMs: number }>('GET', '/v1/fleet/summary')).json;
      expect(staleAfterMs).toBeGreaterThan(0);
      rig.clock.offsetMs = staleAfterMs + 60_000;
      const user = await createUser(rig, 'ops2', 'ops');
      const { page } = await rig.newContext('en');
      await loginWithPassword(page, user);
      await page.goto('/fleet');
      const gw = (site: RigSite) => page.locator(`#fleet-rows tr[data-gateway="${site.gatewayId}"]`);
      await gw(north).waitFor();
      expect(await gw(north).getAttribute('data-stale')).not.toBeNull();
      expect(await gw(north).locator('.stale-label').textContent()).toBe('Stale');
      expect(await gw(north).locator('td.heartbeat > span').first().textContent()).toMatch(/^\d+ min ago$/);
      // The revoked south gateway is revoked, never stale.
      expect(await gw(south).getAttribute('data-stale')).toBeNull();
      expect(await gw(south).getAttribute('data-revoked')).not.toBeNull();
      expect(await page.locator('#fleet-summary [data-count=stale] .value').textContent()).toBe('1');
      await expectNoShownError(page);
      await screenshot(page, `central-console-fleet-stale-${backend}`);
    });

    it('stops everything it started: the simulator and every ffmpeg reading it are gone', async () => {
      const simPid = rig.sim.pid;
      expect(simPid).toBeDefined();
      expect(alive(simPid!)).toBe(true);
      await rig.stop();
      expect(alive(simPid!)).toBe(false);
      expect(ffmpegProcesses(`:${rig.sim.port}/`)).toEqual([]);
    });
  });
});

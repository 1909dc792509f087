import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../../test-helpers/browser';
import type { CentralServer } from '../server';
import { PATHS, startOfLocalDay, type SyncRecord } from '../wire';
import { batch, BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, TestClock, useDatabases, type TestGateway } from './helpers/central';
import { openConsoleAs } from './helpers/console-session';

const dbs = useDatabases();
const MIN = 60_000;
const HOUR = 60 * MIN;
const noBrowser = browserUnavailable();
/** Some zone among these is always between 10:00 and 23:00. */
const ZONES = ['Asia/Ho_Chi_Minh', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC'];
const localHour = (timeZone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));

describe.each(BACKENDS)('the queues page in Chromium on %s', (backend) => {
  if (noBrowser || skipBackend(backend)) {
    it.skip(`needs chromium and the backend: ${noBrowser ?? 'PostgreSQL binaries'}`, () => undefined);
    return;
  }
  let server: CentralServer;
  let browser: Browser;
  let page: Page;
  const clock = new TestClock();
  // The page asks for today in a time zone (?tz=) where it is past 10:00 now, so that this
  // morning's minutes below are in the past whenever the test runs (the session cookie needs the
  // real clock, so the server's cannot be moved instead).
  const timeZone = ZONES.find((z) => localHour(z) >= 10 && localHour(z) < 23)!;
  const midnight = startOfLocalDay(Date.now(), timeZone);
  const gw = {} as Record<'mall' | 'depot', TestGateway>;

  const stats = (g: TestGateway, cameraId: string, zoneId: string, from: number, waits: Array<number | null>, crossings?: [number, number]) =>
    sendSigned(
      server.url,
      PATHS.ingest,
      g,
      batch(
        g.id,
        waits.map((w, i): SyncRecord => ({
          seq: Math.floor((from - midnight) / MIN) + i + 1,
          kind: 'queue_stat',
          at: from + (i + 1) * MIN,
          payload: { cameraId, zoneId, minute: from + i * MIN, avgCount: 2, maxCount: 3 + i, departures: 1, estWaitS: w, occupiedRatio: 0.4, ...(crossings ? { crossingsIn: crossings[0], crossingsOut: crossings[1] } : {}) },
        })),
      ),
      { now: clock.now() },
    );

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend), { now: clock.now });
    gw.mall = await enrolGateway(server.url, 'north-mall');
    gw.depot = await enrolGateway(server.url, 'south-depot');
    // The mall: a till queue 08:00-08:19 (waits 60..250 s) and an entrance line; the depot: short waits at 09:00.
    expect((await stats(gw.mall, 'till', 'q1', midnight + 8 * HOUR, Array.from({ length: 20 }, (_, i) => 60 + 10 * i))).status).toBe(200);
    expect((await stats(gw.mall, 'door', 'entrance', midnight + 7 * HOUR, [null, null, null], [4, 1])).status).toBe(200);
    expect((await stats(gw.depot, 'gate', 'q', midnight + 9 * HOUR, [10, 20, 30])).status).toBe(200);
    // The browser's own zone differs from the day's, so a time shown in the browser's zone would be caught.
    ({ browser, page } = await openConsoleAs(server.url, 'ops', 'ops', { timezoneId: timeZone === 'Pacific/Auckland' ? 'America/Los_Angeles' : 'Pacific/Auckland' }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const cell = (site: string, cls: string) => page.evaluate(`document.querySelector('#queue-rows tr[data-site="${site}"] td.${cls}').textContent`);

  it("lists today's sites sorted by wait with footfall, waits and peak queue", async () => {
    expect((await page.goto(`${server.url}/queues?tz=${encodeURIComponent(timeZone)}`))?.status()).toBe(200);
    await expect.poll(() => page.evaluate('[...document.querySelectorAll("#queue-rows tr[data-site]")].map((r) => r.dataset.site).join(",")')).toBe('north-mall,south-depot');
    // Mall: average of 60..250 s = 155 s, longest 250 s, peak 22 people, 12 in and 3 out at the entrance.
    expect(await page.evaluate('document.querySelector("#queue-rows tr[data-site=north-mall]").dataset.avgWait')).toBe('155');
    expect(await cell('north-mall', 'avg-wait')).toBe('2 phút 35 giây');
    expect(await cell('north-mall', 'max-wait')).toBe('4 phút 10 giây');
    expect(await cell('north-mall', 'peak')).toBe('22');
    expect([await cell('north-mall', 'footfall-in'), await cell('north-mall', 'footfall-out')]).toEqual(['12', '3']);
    expect(await cell('south-depot', 'avg-wait')).toBe('20 giây');
    expect(await cell('south-depot', 'footfall-in')).toBe('—');
  });

  it("opens a site's zones and its chart of the day", async () => {
    await page.click('#queue-rows tr[data-site=north-mall] button.open-site');
    await expect.poll(() => page.evaluate('document.getElementById("site-detail").hidden')).toBe(false);
    await expect.poll(() => page.evaluate('[...document.querySelectorAll("#zone-rows tr")].map((r) => r.dataset.camera + "/" + r.dataset.zone).join(",")')).toBe('door/entrance,till/q1');
    expect(await page.evaluate('document.getElementById("site-detail").dataset.site')).toBe('north-mall');
    // Clock times are the day's time zone's (the till's last minute was 08:19 there).
    expect(await page.evaluate('document.querySelector("#zone-rows tr[data-zone=q1] td.last-minute").textContent')).toBe('08:19:00');
    // uPlot draws into a canvas inside the chart element, with a legend entry per series.
    await expect.poll(() => page.evaluate('document.querySelectorAll("#site-chart canvas").length')).toBe(1);
    expect(await page.evaluate('document.querySelectorAll("#site-chart .u-legend .u-series").length')).toBe(5);
    await screenshot(page, `console-queues-${backend}`);
  });

  it("says so on the page when a site's detail cannot be read", async () => {
    expect(await page.evaluate('document.getElementById("queues-error").hidden')).toBe(true);
    await page.route('**/v1/queues/today?*site=south-depot*', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'database unavailable' }) }));
    await page.click('#queue-rows tr[data-site=south-depot] button.open-site');
    await expect.poll(() => page.evaluate('document.getElementById("queues-error").hidden ? "" : document.getElementById("queues-error").textContent')).toContain('database unavailable');
    await page.unroute('**/v1/queues/today?*site=south-depot*');
  });
});

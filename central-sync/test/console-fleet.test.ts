import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../../test-helpers/browser';
import type { CentralServer } from '../server';
import { PATHS } from '../wire';
import { BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, TestClock, useDatabases, type TestGateway } from './helpers/central';
import { openConsoleAs } from './helpers/console-session';

const dbs = useDatabases();
const MIN = 60_000;
const noBrowser = browserUnavailable();

describe.each(BACKENDS)('the fleet page in Chromium on %s', (backend) => {
  if (noBrowser || skipBackend(backend)) {
    it.skip(`needs chromium and the backend: ${noBrowser ?? 'PostgreSQL binaries'}`, () => undefined);
    return;
  }
  let server: CentralServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const clock = new TestClock();
  const gw: Record<'fresh' | 'stale' | 'failing', TestGateway> = {} as never;

  const beat = (g: TestGateway, cameras: Array<{ id: string; state: string; reason: string | null }>) =>
    sendSigned(server.url, PATHS.heartbeat, g, { version: 3, gatewayId: g.id, at: clock.now(), cameras, backlog: 12, oldestUnsentAt: null, dropped: 0 }, { now: clock.now() });
  const rowIds = () => page.evaluate('[...document.querySelectorAll("#fleet-rows tr[data-gateway]")].map((r) => r.dataset.gateway).join(",")');

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend), { now: clock.now });
    gw.stale = await enrolGateway(server.url, 'site-b');
    gw.fresh = await enrolGateway(server.url, 'site-a');
    gw.failing = await enrolGateway(server.url, 'site-c');
    // The stale gateway's last heartbeat is 6 minutes old when the page opens.
    expect((await beat(gw.stale, [{ id: 'door', state: 'streaming', reason: null }])).status).toBe(200);
    clock.offsetMs += 6 * MIN;
    expect((await beat(gw.fresh, [{ id: 'lobby', state: 'streaming', reason: null }])).status).toBe(200);
    const failing = [
      { id: 'gate', state: 'failed', reason: 'rtsp: 401 Unauthorized' },
      { id: 'yard', state: 'reconnecting', reason: 'no frames for 10 s' },
    ];
    expect((await beat(gw.failing, failing)).status).toBe(200);
    ({ browser, context, page } = await openConsoleAs(server.url, 'ops', 'ops'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists gateways by site, highlights the stale one with a label, and shows a failed camera with its reason', async () => {
    const res = await page.goto(`${server.url}/fleet`);
    expect(res?.status()).toBe(200);
    await expect.poll(rowIds).toBe([gw.fresh.id, gw.stale.id, gw.failing.id].join(','));
    const stale = `#fleet-rows tr[data-gateway="${gw.stale.id}"]`;
    expect(await page.evaluate(`(() => { const r = document.querySelector('${stale}'); return [r.classList.contains('stale'), r.hasAttribute('data-stale'), r.querySelector('.stale-label')?.textContent] })()`)).toEqual([true, true, 'Mất liên lạc']);
    expect(await page.evaluate(`document.querySelector('${stale} td.heartbeat').textContent`)).toContain('6 phút trước');
    expect(await page.evaluate(`document.querySelector('#fleet-rows tr[data-gateway="${gw.fresh.id}"]').hasAttribute('data-stale')`)).toBe(false);
    const gate = `#fleet-rows tr[data-gateway="${gw.failing.id}"] li[data-camera="gate"]`;
    expect(await page.evaluate(`document.querySelector('${gate}').dataset.state`)).toBe('failed');
    expect(await page.evaluate(`document.querySelector('${gate}').textContent`)).toBe('gate lỗi: rtsp: 401 Unauthorized');
    const tile = (k: string) => page.evaluate(`document.querySelector('#fleet-summary [data-count="${k}"] .value').textContent`);
    await expect.poll(() => tile('stale')).toBe('1');
    expect([await tile('total'), await tile('failed'), await tile('reconnecting'), await tile('streaming')]).toEqual(['3', '1', '1', '2']);
    await screenshot(page, `console-fleet-${backend}`);
  });

  it('filters to the stale gateways, and to failing cameras by site search', async () => {
    await page.selectOption('#fleet-filters select[name=state]', 'stale');
    await page.click('#fleet-filters button[type=submit]');
    await expect.poll(rowIds).toBe(gw.stale.id);
    await page.selectOption('#fleet-filters select[name=state]', 'failing');
    await page.fill('#fleet-filters input[name=search]', 'SITE-C');
    await page.click('#fleet-filters button[type=submit]');
    await expect.poll(rowIds).toBe(gw.failing.id);
    await page.fill('#fleet-filters input[name=search]', 'site-a');
    await page.click('#fleet-filters button[type=submit]');
    await expect.poll(() => page.evaluate('document.querySelector("#fleet-rows td.muted")?.textContent ?? ""')).toBe('Không có gateway nào phù hợp.');
  });

  it("keeps every row loaded with 'more' across a refresh past 200 rows, and a double click on 'more' adds no gateway twice", async () => {
    // 230 more gateways: 233 in all, past the 200 rows one request may answer.
    const sites = Array.from({ length: 230 }, (_, i) => `site-m${String(i).padStart(3, '0')}`);
    await Promise.all(Array.from({ length: 8 }, async (_, k) => {
      for (let i = k; i < sites.length; i += 8) await enrolGateway(server.url, sites[i]!);
    }));
    const count = (p: Page) => p.evaluate('document.querySelectorAll("#fleet-rows tr[data-gateway]").length');
    const unique = (p: Page) => p.evaluate('new Set([...document.querySelectorAll("#fleet-rows tr[data-gateway]")].map((r) => r.dataset.gateway)).size');
    const paged = await context.newPage();
    await paged.clock.install();
    await paged.goto(`${server.url}/fleet`);
    await expect.poll(() => count(paged)).toBe(50);
    for (const n of [100, 150, 200, 233]) {
      await paged.click('#fleet-more');
      await expect.poll(() => count(paged)).toBe(n);
    }
    expect(await paged.evaluate('document.getElementById("fleet-more").hidden')).toBe(true);
    const updated = () => paged.evaluate('document.getElementById("fleet-updated").textContent');
    const before = await updated();
    await paged.clock.runFor(15_000);
    await expect.poll(updated).not.toBe(before);
    expect([await count(paged), await unique(paged)]).toEqual([233, 233]);

    const clicked = await context.newPage();
    await clicked.goto(`${server.url}/fleet`);
    await expect.poll(() => count(clicked)).toBe(50);
    await clicked.evaluate('(() => { const b = document.getElementById("fleet-more"); b.click(); b.click(); })()');
    await expect.poll(() => count(clicked)).toBe(150);
    expect(await unique(clicked)).toBe(150);
    await paged.close();
    await clicked.close();
  });
});

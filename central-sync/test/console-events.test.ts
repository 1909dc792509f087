import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../../test-helpers/browser';
import type { CentralServer } from '../server';
import { PATHS, type SyncRecord } from '../wire';
import { ADMIN_TOKEN, api, batch, BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, useDatabases, type TestGateway } from './helpers/central';
import { openConsoleAs } from './helpers/console-session';
import { rawQuery } from './helpers/raw-sql';

const dbs = useDatabases();
const MIN = 60_000;
const noBrowser = browserUnavailable();

const event = (seq: number, uid: string, at: number, severity: 'low' | 'high', data: Record<string, unknown> = {}, type = 'loitering'): SyncRecord => ({
  seq,
  kind: 'event',
  at,
  payload: { uid, cameraId: 'lobby', zoneId: 'door', type, severity, at, data },
});

describe.each(BACKENDS)('the events pages in Chromium on %s', (backend) => {
  if (noBrowser || skipBackend(backend)) {
    it.skip(`needs chromium and the backend: ${noBrowser ?? 'PostgreSQL binaries'}`, () => undefined);
    return;
  }
  let server: CentralServer;
  let url: string;
  let browser: Browser;
  let page: Page;
  const gw = {} as Record<'a' | 'b', TestGateway>;
  const seq = { a: 0, b: 0 };
  const t0 = Date.now() - 120 * MIN;
  const send = (site: 'a' | 'b', records: Array<Omit<SyncRecord, 'seq'>>) =>
    sendSigned(server.url, PATHS.ingest, gw[site], batch(gw[site].id, records.map((r) => ({ ...r, seq: ++seq[site] }) as SyncRecord)));
  const uids = () => page.evaluate('[...document.querySelectorAll("#event-rows tr[data-uid]")].map((r) => r.dataset.uid).join(",")');
  let crop: Buffer;

  beforeAll(async () => {
    url = await dbs.fresh(backend);
    server = await startTestServer(url, { acceptFaceCrops: true });
    gw.a = await enrolGateway(server.url, 'site-a');
    gw.b = await enrolGateway(server.url, 'site-b');
    // 60 events at site-a (one a minute, every fifth high), 3 at site-b, and a watchlist match with a crop, updated and ended.
    await send('a', Array.from({ length: 60 }, (_, i) => event(0, `a${i}`, t0 + i * MIN, i % 5 === 0 ? 'high' : 'low')));
    await send('b', [0, 1, 2].map((i) => event(0, `b${i}`, t0 + i * MIN, 'low')));
    crop = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#c33' } }).jpeg().toBuffer();
    await send('a', [
      event(0, 'match', t0 + 90 * MIN, 'high', { personId: 'p7', faceCrop: crop.toString('base64'), score: 0.91 }, 'watchlist_match'),
      { seq: 0, kind: 'event_update', at: t0 + 91 * MIN, payload: { uid: 'match', at: t0 + 91 * MIN, phase: 'update', data: { score: 0.95 } } },
      { seq: 0, kind: 'event_update', at: t0 + 92 * MIN, payload: { uid: 'match', at: t0 + 92 * MIN, phase: 'end', data: { dwellS: 120 } } },
    ]);
    ({ browser, page } = await openConsoleAs(server.url, 'guard', 'security'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('filters by site and severity through the form, and the URL keeps the filters', async () => {
    expect((await page.goto(`${server.url}/events?site=site-b`))?.status()).toBe(200);
    await expect.poll(uids).toBe('b2,b1,b0');
    expect(await page.evaluate('document.querySelector("#event-filters input[name=site]").value')).toBe('site-b');
    await page.fill('#event-filters input[name=site]', 'site-a');
    await page.selectOption('#event-filters select[name=severity]', 'high');
    await Promise.all([page.waitForURL(/severity=high/), page.click('#event-filters button[type=submit]')]);
    expect(new URL(page.url()).searchParams.get('site')).toBe('site-a');
    await expect.poll(uids).toBe(['match', ...[55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5, 0].map((i) => `a${i}`)].join(','));
    expect(await page.evaluate('[...document.querySelectorAll("#event-rows tr[data-uid]")].every((r) => r.dataset.site === "site-a" && r.dataset.severity === "high")')).toBe(true);
  });

  it('pages with "more" and shows a live arrival without a reload, marked new and counted; other sites stay out', async () => {
    await page.goto(`${server.url}/events?site=site-a`);
    await expect.poll(() => page.evaluate('document.querySelectorAll("#event-rows tr[data-uid]").length')).toBe(50);
    expect(await page.evaluate('document.getElementById("events-more").hidden')).toBe(false);
    await page.click('#events-more');
    await expect.poll(() => page.evaluate('document.querySelectorAll("#event-rows tr[data-uid]").length')).toBe(61);
    expect(await page.evaluate('document.getElementById("events-more").hidden')).toBe(true);
    // Newest first, each row linking to its detail.
    const first = String(await uids()).split(",");
    expect(first.slice(0, 3)).toEqual(['match', 'a59', 'a58']);
    expect(first.at(-1)).toBe('a0');
    await page.evaluate('window.notReloaded = true');
    expect(await page.evaluate('document.getElementById("live-count").textContent')).toBe('0');
    // One arrives at site-b and one at site-a (started before the newest shown: a late sync still counts as an arrival).
    expect((await send('b', [event(0, 'b-live', Date.now() - MIN, 'low')])).status).toBe(200);
    expect((await send('a', [event(0, 'a-live', t0 + 30 * MIN + 1, 'low')])).status).toBe(200);
    await expect.poll(() => page.evaluate('document.querySelector("#event-rows tr[data-uid]").dataset.uid'), { timeout: 15_000 }).toBe('a-live');
    expect(await page.evaluate('document.querySelector("#event-rows tr[data-uid=a-live]").hasAttribute("data-new")')).toBe(true);
    expect(await page.evaluate('document.getElementById("live-count").textContent')).toBe('1');
    expect(await page.evaluate('document.querySelectorAll("#event-rows tr[data-uid=b-live]").length')).toBe(0);
    expect(await page.evaluate('document.querySelectorAll("#event-rows tr[data-uid]").length')).toBe(62);
    expect(await page.evaluate('window.notReloaded === true')).toBe(true);
    expect(await page.evaluate('document.getElementById("live-status").dataset.live')).toBe('on');
    await screenshot(page, `console-events-${backend}`);
  });

  it('opens an event: fields, data without the crop, the timeline, and the face crop on request, audited', async () => {
    await Promise.all([page.waitForURL(/\/events\/\d+$/), page.click('#event-rows tr[data-uid=match] a')]);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await expect.poll(() => page.evaluate('[...document.querySelectorAll("#event-timeline li")].map((li) => li.dataset.phase).join(",")')).toBe('start,update,end');
    expect(await page.evaluate('document.querySelector("#event-fields [data-field=uid]").textContent')).toBe('match');
    expect(await page.evaluate('document.querySelector("#event-data [data-key=score]").textContent')).toBe('0.95');
    expect(await page.evaluate('document.querySelector("#event-data [data-key=personId]").textContent')).toBe('p7');
    // Neither the crop's bytes nor its key anywhere in the page (the data list shows every other key).
    expect(await page.evaluate(`document.documentElement.outerHTML.includes("${crop.toString('base64').slice(0, 40)}")`)).toBe(false);
    expect(await page.evaluate('document.querySelectorAll("[data-key=faceCrop]").length')).toBe(0);
    expect(await page.evaluate('document.getElementById("face-crop-section").hidden')).toBe(false);
    expect(await page.evaluate('document.getElementById("face-crop-note").textContent')).toContain('nhật ký kiểm tra');
    const audited = () => rawQuery(url, "SELECT actor, target FROM audit_log WHERE action = 'view_face_crop'");
    expect(await audited()).toEqual([]);
    await page.click('#show-face-crop');
    await expect.poll(() => page.evaluate('(() => { const i = document.getElementById("face-crop"); return i.complete ? i.naturalWidth + "x" + i.naturalHeight : "" })()')).toBe('8x6');
    expect(await audited()).toEqual([{ actor: expect.stringMatching(/^token:\d+:guard$/), target: `event:${id}` }]);
    await screenshot(page, `console-event-detail-${backend}`);
  });

  it('keeps ops out of the events pages', async () => {
    const ops = String((await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: 'ops', role: 'ops' })).json.token);
    const other = await browser.newContext();
    try {
      expect((await other.request.post(`${server.url}/console/login`, { data: { token: ops } })).status()).toBe(200);
      const p = await other.newPage();
      expect((await p.goto(`${server.url}/events`))?.status()).toBe(403);
      expect((await p.goto(`${server.url}/events/1`))?.status()).toBe(403);
    } finally {
      await other.close();
    }
  });
});

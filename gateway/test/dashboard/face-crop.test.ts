import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot } from '../../../test-helpers/browser';
import { rigToken, startApiRig, type ApiRig } from '../api-rig';

const missing = browserUnavailable();

/** The event page shows a watchlist match's face through the audited crop route, never from the event data. */
describe.skipIf(missing !== undefined)('security dashboard: a watchlist match', () => {
  let rig: ApiRig;
  let browser: Browser;
  let matchId: number;

  beforeAll(async () => {
    rig = await startApiRig();
    browser = await launchBrowser();
    const crop = (await sharp({ create: { width: 48, height: 56, channels: 3, background: { r: 180, g: 120, b: 90 } } }).jpeg().toBuffer()).toString('base64');
    matchId = rig.events.start({ uid: 'm1', cameraId: 'door', trackId: 4, type: 'watchlist_match', severity: 'high', at: Date.now() - 30_000, data: { personId: 'p-1', person: 'Trần Thị Bình', similarity: 0.93, faceCrop: crop } });
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('shows the face crop loaded from /api/events/:id/face-crop and audits the view', async () => {
    const context = await browser.newContext({ baseURL: rig.base });
    const login = await context.request.post('/api/login', { data: { token: rigToken('security') }, headers: { origin: rig.base } });
    expect(login.status()).toBe(200);
    const page = await context.newPage();
    const cropRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/face-crop')) cropRequests.push(new URL(r.url()).pathname);
    });
    await page.goto(`/events/${matchId}`);
    const img = page.locator('#event-face-crop');
    await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(48);
    expect(await img.getAttribute('src')).toBe(`/api/events/${matchId}/face-crop`);
    expect(cropRequests).toEqual([`/api/events/${matchId}/face-crop`]);
    expect(await page.locator('#event-fields').textContent()).toContain('Trần Thị Bình');
    await screenshot(page, 'security-event-watchlist-match');
    const audited = rig.audit().filter((a) => a.subject === `event:${matchId}`);
    expect(audited).toEqual([
      { user: 'security1', action: 'view_watchlist_match', subject: `event:${matchId}` },
      { user: 'security1', action: 'view_face_crop', subject: `event:${matchId}` },
    ]);
    await context.close();
  });
});

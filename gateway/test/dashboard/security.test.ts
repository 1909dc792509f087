import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../../../test-helpers/browser';
import { mediaPath, videoFrame } from '../../../test-helpers/media';
import { saveSnapshot } from '../../snapshots';
import { startRig, TOKENS, type DashboardRig } from './harness';

const missing = browserUnavailable();

/** Security's pages: event review (list, detail, review actions, live additions) and the watchlist. */
describe.skipIf(missing !== undefined)('security dashboard: events and watchlist', () => {
  let rig: DashboardRig;
  let restrictedId: number;
  /** An untouched /events page opened at the start, which should gain real events live. */
  let livePage: Page;
  let portrait: Buffer;
  const LOITERING = 60;
  const HISTORY = 10_000;

  beforeAll(async () => {
    rig = await startRig();
    portrait = await sharp(mediaPath('astronaut.png')).jpeg({ quality: 80 }).toBuffer();
    const { events, db } = rig.gateway;
    const now = Date.now();
    // A day and more of history, so the list is measured against a realistic store.
    db.transaction(() => {
      for (let i = 0; i < HISTORY; i++) events.start({ uid: `seed-c${i}`, cameraId: 'hall', zoneId: 'line', type: 'crowding', severity: 'medium', at: now - 86_400_000 - i * 10_000, data: { count: 6 } });
    })();
    for (let i = 0; i < LOITERING; i++) {
      events.start({ uid: `seed-l${i}`, cameraId: 'hall', zoneId: 'line', trackId: 5000 + i, type: 'loitering', severity: 'low', at: now - 3_600_000 + i * 1000, data: { dwellSeconds: 40 } });
    }
    restrictedId = events.start({ uid: 'seed-r1', cameraId: 'street', zoneId: 'staff', trackId: 9001, type: 'restricted_zone_entry', severity: 'high', at: now - 120_000, data: { zone: 'staff' } });
    events.end('seed-r1', now - 110_000, {});
    const saved = await saveSnapshot(join(rig.dataDir, 'seed-snapshots'), 'seed-r1', videoFrame('vtest.avi', 0), [{ x1: 240, y1: 210, x2: 300, y2: 330 }]);
    db.prepare('INSERT INTO snapshots (event_id, camera_id, taken_at, path, blurred_path) VALUES (?, ?, ?, ?, ?)').run(restrictedId, 'street', now - 120_000, saved.path, saved.blurredPath);
    db.prepare('INSERT INTO tracks (camera_id, track_id, first_seen, last_seen, zones, best) VALUES (?, ?, ?, ?, ?, ?)').run(
      'street',
      9001,
      now - 130_000,
      now - 100_000,
      JSON.stringify([{ zoneId: 'staff', enter: now - 120_000, exit: now - 110_000 }]),
      JSON.stringify({ at: now - 115_000, score: 0.91, box: { x1: 240, y1: 210, x2: 300, y2: 330 } }),
    );
    ({ page: livePage } = await rig.loginAs('security'));
    await livePage.goto('/events');
    await livePage.locator(`#events-body tr[data-id="${restrictedId}"]`).waitFor();
  });
  afterAll(async () => rig?.stop());

  const rows = (page: Page) => page.locator('#events-body tr');
  const column = (page: Page, name: string) => rows(page).evaluateAll((trs, attr) => trs.map((tr) => tr.getAttribute(attr)), `data-${name}`);
  const naturalWidth = (img: Locator) => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth);

  it('lists events with thumbnails, filters them and pages with "more"', async () => {
    const { page } = await rig.loginAs('security', 'vi');
    const started = Date.now();
    await page.goto('/events');
    const restricted = page.locator(`#events-body tr[data-id="${restrictedId}"]`);
    await restricted.waitFor();
    console.info(`event list page with ${HISTORY + LOITERING + 1}+ events in the store shown in ${Date.now() - started} ms`);
    const apiStarted = Date.now();
    expect((await rig.api(`/api/events?limit=50&review=acknowledged`, { role: 'security' })).status).toBe(200);
    // A figure, not a target (speed targets belong in benchmarks): 53-72 ms on a quiet 2-core VM, 676 ms once under CI load.
    console.info(`GET /api/events filtered on an unindexed column over ${HISTORY}+ events: ${Date.now() - apiStarted} ms`);
    expect(await page.locator('h1').textContent()).toBe('Xem xét sự kiện');
    expect(await restricted.getAttribute('data-severity')).toBe('high');
    await expect.poll(() => naturalWidth(restricted.locator('img.thumb'))).toBe(768);
    // The first page holds 50; an incident the video raises meanwhile is added on top, marked live.
    expect(await page.locator('#events-body tr:not(.live)').count()).toBe(50);
    await screenshot(page, 'security-events-list-vi');
    // Thumbnails are the blurred copies: a list view reads no original and writes no audit rows.
    const originalsRead = async () =>
      (await rig.api<{ entries: Array<{ action: string; subject: string }> }>('/api/audit')).json.entries.filter((e) => e.action === 'view_original_snapshot' && e.subject === `event:${restrictedId}`).length;
    expect(await originalsRead()).toBe(0);

    await page.selectOption('select[name=type]', 'loitering');
    await expect.poll(() => column(page, 'type')).toEqual(Array(50).fill('loitering'));
    expect(new URL(page.url()).searchParams.get('type')).toBe('loitering');
    await page.click('#events-more');
    await expect.poll(() => rows(page).count()).toBe(LOITERING);
    expect(await page.locator('#events-more').isHidden()).toBe(true);

    await page.selectOption('select[name=type]', '');
    await page.selectOption('select[name=severity]', 'high');
    await expect.poll(async () => new Set(await column(page, 'severity'))).toEqual(new Set(['high']));
    expect(await restricted.isVisible()).toBe(true);
    await page.selectOption('select[name=review]', 'acknowledged');
    await page.locator('#events-empty').waitFor({ state: 'visible' });
    await page.context().close();
  });

  it('opens an event with snapshot, timeline and track, and records an acknowledgement with the user', async () => {
    const { page } = await rig.loginAs('security');
    await page.goto('/events?severity=high');
    await page.click(`#events-body tr[data-id="${restrictedId}"] a.event-link`);
    await page.waitForURL((u) => u.pathname === `/events/${restrictedId}`);
    await page.locator('#event').waitFor({ state: 'visible' });
    await expect.poll(() => naturalWidth(page.locator('#event-snapshot'))).toBe(768);
    const audit = await rig.api<{ entries: Array<{ action: string; subject: string; user: string }> }>('/api/audit');
    expect(audit.json.entries.some((e) => e.action === 'view_original_snapshot' && e.subject === `event:${restrictedId}` && e.user === 'security1')).toBe(true);
    expect(await page.locator('#event-timeline tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-phase')))).toEqual(['start', 'end']);
    await page.locator('#track-summary').waitFor();
    expect(await page.locator('#track-zones tbody').textContent()).toContain('staff');
    expect(await page.locator('#event-reviews-none').isVisible()).toBe(true);

    await page.click('#review-form button[value=acknowledge]');
    await page.locator('#event-reviews tr[data-action=acknowledge][data-user=security1]').waitFor();
    expect(await page.locator('#event-review-state').getAttribute('data-state')).toBe('acknowledged');
    expect(await page.locator('#review-form button[value=acknowledge]').isHidden()).toBe(true);
    await page.fill('#review-form textarea[name=comment]', 'Nhân viên bảo vệ đã kiểm tra');
    await page.click('#review-form button[value=comment]');
    await page.locator('#event-reviews tr[data-action=comment]').waitFor();
    await screenshot(page, 'security-event-detail');

    const { status, json } = await rig.api<{ reviewState: string; reviews: Array<{ user: string; action: string; comment: string | null }> }>(`/api/events/${restrictedId}`, { role: 'security' });
    expect(status).toBe(200);
    expect(json.reviewState).toBe('acknowledged');
    expect(json.reviews).toEqual([
      expect.objectContaining({ user: 'security1', action: 'acknowledge' }),
      expect.objectContaining({ user: 'security1', action: 'comment', comment: 'Nhân viên bảo vệ đã kiểm tra' }),
    ]);
    const track = await rig.api<{ track: { trackId: number; zones: unknown[]; events: Array<{ id: number }> } }>(`/api/events/${restrictedId}/track`, { role: 'security' });
    expect(track.json.track).toMatchObject({ trackId: 9001, zones: [expect.objectContaining({ zoneId: 'staff' })], events: [{ id: restrictedId }] });
    await page.context().close();
  });

  it('previews enrolment photos, enrols a person, shows the audit trail and removes the person', async () => {
    const { page } = await rig.loginAs('security');
    await page.goto('/watchlist');
    await page.locator('#persons-empty').waitFor({ state: 'visible' });
    const coffee = readFileSync(mediaPath('coffee.png'));
    await page.setInputFiles('#enrol-form input[name=photo]', [
      { name: 'portrait.jpg', mimeType: 'image/jpeg', buffer: portrait },
      { name: 'coffee.png', mimeType: 'image/png', buffer: coffee },
    ]);
    await page.locator('#preview li[data-ok=false]').waitFor();
    expect(await page.locator('#preview li[data-ok=false] .error').textContent()).toBe('No face found.');
    expect(await page.locator('#preview li[data-ok=true] img.face-preview').count()).toBe(1);
    await page.fill('#enrol-form input[name=name]', 'Nguyễn Văn An');
    expect(await page.locator('#enrol-submit').isDisabled()).toBe(true);
    await screenshot(page, 'security-watchlist-preview-refused');

    await page.setInputFiles('#enrol-form input[name=photo]', [{ name: 'portrait.jpg', mimeType: 'image/jpeg', buffer: portrait }]);
    await expect.poll(() => page.locator('#preview li').count()).toBe(1);
    await expect.poll(() => naturalWidth(page.locator('#preview li[data-ok=true] img'))).toBeGreaterThan(0);
    await page.locator('#enrol-submit:not([disabled])').waitFor();
    await screenshot(page, 'security-watchlist-preview');
    await page.click('#enrol-submit');
    const person = page.locator('#persons tbody tr', { hasText: 'Nguyễn Văn An' });
    await person.waitFor();
    expect(await person.locator('td.by').textContent()).toBe('security1');
    await page.locator('#watchlist-audit tr[data-action=enrol][data-user=security1]').waitFor();
    expect(await page.locator('#watchlist-audit tr[data-action=enrol] td.subject').textContent()).toBe('Nguyễn Văn An');
    expect(await page.locator('#watchlist-audit tr[data-action=preview]').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'security-watchlist');

    const listed = await rig.api<{ persons: Array<{ id: string; name: string; photos: number; createdBy: string }> }>('/api/watchlist', { role: 'security' });
    expect(listed.json.persons).toEqual([expect.objectContaining({ name: 'Nguyễn Văn An', photos: 1, createdBy: 'security1' })]);

    page.once('dialog', (d) => void d.accept());
    await person.locator('button.remove').click();
    await page.locator('#persons-empty').waitFor({ state: 'visible' });
    await page.locator('#watchlist-audit tr[data-action=remove]').waitFor();
    expect((await rig.api<{ persons: unknown[] }>('/api/watchlist', { role: 'security' })).json.persons).toEqual([]);
    await page.context().close();
  });

  it('answers the preview API per photo and keeps it for security', async () => {
    const form = new FormData();
    form.append('photo', new Blob([new Uint8Array(portrait)]), 'portrait.jpg');
    form.append('photo', new Blob([Buffer.from('not a jpeg')]), 'noise.jpg');
    const preview = (role: 'security' | 'supervisor') => fetch(`${rig.url}/api/watchlist/preview`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS[role]}` }, body: form });
    const res = await preview('security');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usable: boolean; photos: Array<{ ok: boolean; crop?: string; status?: number; error?: string }> };
    expect(body.usable).toBe(false);
    expect(body.photos[0]).toMatchObject({ ok: true });
    expect(body.photos[0]!.crop).toMatch(/^data:image\/jpeg;base64,/);
    expect(body.photos[1]).toMatchObject({ ok: false, status: 415, error: expect.stringMatching(/photo\[1\] is not an image/) });
    expect((await preview('supervisor')).status).toBe(403);
    const audit = await rig.api<{ entries: Array<{ user: string; action: string }> }>('/api/audit/watchlist', { role: 'security' });
    expect(audit.json.entries).toContainEqual(expect.objectContaining({ user: 'security1', action: 'POST /api/watchlist/preview' }));
  });

  it('gives a supervisor the 403 page for events and the watchlist', async () => {
    const { page } = await rig.loginAs('supervisor');
    for (const path of ['/events', `/events/${restrictedId}`, '/watchlist']) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(403);
      await page.locator('#forbidden').waitFor();
    }
    expect(await page.locator('header nav a[href="/events"]').count()).toBe(0);
    await screenshot(page, 'security-pages-forbidden-supervisor');
    await page.context().close();
  });

  it('adds restricted-zone entries from camera street to an open list as they happen', async () => {
    const live = livePage.locator('#events-body tr.live[data-type=restricted_zone_entry]').first();
    await live.waitFor({ timeout: 60_000 });
    const id = await live.getAttribute('data-id');
    expect((await rig.api<{ cameraId: string }>(`/api/events/${id}`, { role: 'security' })).json.cameraId).toBe('street');
    expect(await rows(livePage).first().getAttribute('data-id')).not.toBe(String(restrictedId));
    await screenshot(livePage, 'security-events-live');
  });
});

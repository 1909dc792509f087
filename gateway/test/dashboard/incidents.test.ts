import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserUnavailable, launchBrowser, screenshot } from '../../../test-helpers/browser';
import { rigToken, startApiRig, type ApiRig } from '../api-rig';

const missing = browserUnavailable();

const S = 1000;

interface Person {
  trackId: number;
  enteredAt: number;
  leftAt: number | null;
}

/** The full state an incident event carries at each step (issue 13, item 4). */
const state = (people: Person[], change?: { kind: 'entered' | 'left'; trackId: number; at: number }) => ({
  zone: 'Staff room',
  incident: true,
  inside: people.filter((p) => p.leftAt === null).length,
  total: people.length,
  people,
  ...(change ? { change } : {}),
});

/**
 * Incidents in the security review: one row per incident with its number of people and whether it
 * is open, and on the event page the people (track, entered, left) and a timeline in words.
 */
describe.skipIf(missing !== undefined)('incidents in the event review', () => {
  let rig: ApiRig;
  let browser: Browser;
  const t0 = Date.now() - 10 * 60 * S;
  let endedId: number;

  beforeAll(async () => {
    rig = await startApiRig();
    browser = await launchBrowser();
    const { events } = rig;
    // A restricted-zone incident: #12 enters, #15 enters, #12 leaves, #15 leaves, empty for the cool-down, ended.
    const p12 = { trackId: 12, enteredAt: t0, leftAt: null as number | null };
    const p15 = { trackId: 15, enteredAt: t0 + 5 * S, leftAt: null as number | null };
    endedId = events.start({ uid: 'inc-1', cameraId: 'street', zoneId: 'staff', type: 'restricted_zone_entry', severity: 'high', at: t0, data: state([p12], { kind: 'entered', trackId: 12, at: t0 }) });
    events.update('inc-1', t0 + 5 * S, state([p12, p15], { kind: 'entered', trackId: 15, at: t0 + 5 * S }));
    p12.leftAt = t0 + 20 * S;
    events.update('inc-1', t0 + 20 * S, state([{ ...p12 }, p15], { kind: 'left', trackId: 12, at: t0 + 20 * S }));
    p15.leftAt = t0 + 30 * S;
    events.update('inc-1', t0 + 30 * S, state([{ ...p12 }, { ...p15 }], { kind: 'left', trackId: 15, at: t0 + 30 * S }));
    events.end('inc-1', t0 + 60 * S, { ...state([{ ...p12 }, { ...p15 }]), durationSeconds: 60 });
    // One still open: #7 inside.
    events.start({ uid: 'inc-2', cameraId: 'street', zoneId: 'staff', type: 'restricted_zone_entry', severity: 'high', at: t0 + 120 * S, data: state([{ trackId: 7, enteredAt: t0 + 120 * S, leftAt: null }], { kind: 'entered', trackId: 7, at: t0 + 120 * S }) });
    // An ordinary event beside them.
    events.start({ uid: 'cam-1', cameraId: 'hall', type: 'camera_offline', severity: 'medium', at: t0 + 60 * S, data: { state: 'failed' } });
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  async function securityPage(lang: 'en' | 'vi'): Promise<Page> {
    const context = await browser.newContext({ baseURL: rig.base, viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'lang', value: lang, url: rig.base }]);
    const res = await context.request.post('/api/login', { data: { token: rigToken('security') }, headers: { origin: rig.base } });
    expect(res.status()).toBe(200);
    return context.newPage();
  }

  it('lists each incident as one row with its number of people and whether it is still open', async () => {
    const page = await securityPage('en');
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto('/events');
    await page.locator('#events-body tr').nth(2).waitFor();
    expect(await page.locator('#events-body tr').count()).toBe(3);
    const ended = page.locator(`#events-body tr[data-id="${endedId}"]`);
    expect(await ended.getAttribute('data-incident')).toBe('true');
    expect(await ended.getAttribute('data-people')).toBe('2');
    expect(await ended.getAttribute('data-open')).toBe('false');
    expect(await ended.locator('.incident-people').textContent()).toBe('2 people');
    expect(await ended.locator('.incident-state').textContent()).toBe('Ended');
    const open = page.locator('#events-body tr[data-incident="true"][data-open="true"]');
    expect(await open.count()).toBe(1);
    expect(await open.locator('.incident-people').textContent()).toBe('1 person');
    expect(await open.locator('.incident-state').textContent()).toBe('Ongoing');
    expect(await page.locator('#events-body tr[data-type="camera_offline"] .incident-people').count()).toBe(0);
    await screenshot(page, 'events-incidents-en');
    expect(problems).toEqual([]);
  });

  it('shows the people of an incident and its timeline in words, in English and Vietnamese', async () => {
    for (const lang of ['en', 'vi'] as const) {
      const page = await securityPage(lang);
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      await page.goto(`/events/${endedId}`);
      await page.locator('#incident-people tbody tr').nth(1).waitFor();
      const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
      const [time, dateTime] = await page.evaluate(
        ([loc, at]) => [
          (ms: number) => new Date(ms).toLocaleTimeString(loc as string, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
          (ms: number) => new Date(ms).toLocaleString(loc as string, { dateStyle: 'short', timeStyle: 'medium' }),
        ].map((f) => [0, 5, 20, 30].map((s) => f((at as number) + s * 1000))),
        [locale, t0] as const,
      );
      const people = await page.locator('#incident-people tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
      const person = lang === 'vi' ? 'người' : 'person';
      expect(people).toEqual([
        [`${person} #12`, dateTime![0], dateTime![2]],
        [`${person} #15`, dateTime![1], dateTime![3]],
      ]);
      const lines = await page.locator('#event-timeline tbody tr .incident-line').allTextContents();
      if (lang === 'en') {
        expect(lines).toEqual([
          `person #12 entered ${time![0]} · 1 inside now, 1 in all`,
          `person #15 entered ${time![1]} · 2 inside now, 2 in all`,
          `person #12 left ${time![2]} · 1 inside now, 2 in all`,
          `person #15 left ${time![3]} · 0 inside now, 2 in all`,
          '0 inside now, 2 in all · ended after 1 min',
        ]);
      } else {
        expect(lines[0]).toBe(`người #12 vào lúc ${time![0]} · 1 người đang ở trong, tổng cộng 1 người`);
        expect(lines[2]).toBe(`người #12 rời đi lúc ${time![2]} · 1 người đang ở trong, tổng cộng 2 người`);
      }
      // No raw JSON of the incident anywhere on the page.
      expect(await page.locator('#event-timeline code').count()).toBe(0);
      expect(await page.locator('#event-fields code').allTextContents()).toEqual(['inc-1']);
      await screenshot(page, `event-incident-${lang}`);
      expect(problems).toEqual([]);
    }
  });
});

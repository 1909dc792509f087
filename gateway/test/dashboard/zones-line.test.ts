import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../../../test-helpers/browser';
import type { ZoneConfig } from '../../config';
import { startRig, type DashboardRig } from './harness';

const missing = browserUnavailable();

/** The demo's entrance line (walking rightwards across x = 0.45 is in) and a count zone with every zone setting. */
const ENTRANCE = { id: 'entrance', name: 'Cửa chính', type: 'line', points: [[0.45, 0.3], [0.45, 0.65]], inDirection: 'right', enterAfterSeconds: 0.5 };
const LOBBY = {
  id: 'lobby',
  type: 'count',
  points: [[0.75, 0.5], [0.98, 0.5], [0.98, 0.95], [0.75, 0.95]],
  loiterSeconds: 30,
  enterAfterSeconds: 2,
  exitAfterSeconds: 4,
  coolDownSeconds: 45,
};

interface ZonesView {
  zones: ZoneConfig[];
  source: 'saved' | 'config';
}

/** Viewport coordinates of a normalised point on the zone canvas, measured now (clicks elsewhere may have scrolled). */
async function onCanvas(page: Page, x: number, y: number, dx = 0): Promise<[number, number]> {
  const canvas = page.locator('#zone-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  return [box.x + x * box.width + dx, box.y + y * box.height];
}

/** The part of the zone canvas read here (the tests compile without the DOM library). */
interface Canvas2D {
  width: number;
  clientWidth: number;
  clientHeight: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}

/** The canvas pixel (RGBA) `dx` CSS px right of the normalised point (x, y). */
function pixel(page: Page, x: number, y: number, dx: number): Promise<number[]> {
  return page.locator('#zone-canvas').evaluate(
    (el, [x, y, dx]) => {
      const canvas = el as unknown as Canvas2D;
      const scale = canvas.width / canvas.clientWidth;
      return Array.from(canvas.getContext('2d').getImageData(Math.round((x * canvas.clientWidth + dx) * scale), Math.round(y * canvas.clientHeight * scale), 1, 1).data);
    },
    [x, y, dx] as const,
  );
}

async function openHall(page: Page): Promise<void> {
  await page.goto('/admin/zones?camera=hall');
  await page.locator('#zone-list li[data-zone=entrance]').waitFor();
  // The still frame sets the stage's aspect ratio: click only once it is laid out.
  await page.locator('#zone-still:not([hidden])').waitFor({ timeout: 20_000 });
}

async function save(page: Page): Promise<void> {
  await page.click('#zone-save');
  await page.locator('#zone-saved:not([hidden]), #zone-error:not([hidden])').waitFor();
}

describe.skipIf(missing !== undefined)('admin zone editor: line zones and the zone settings', () => {
  let rig: DashboardRig;
  beforeAll(async () => {
    rig = await startRig({ extraHallZones: [ENTRANCE, LOBBY] });
  });
  afterAll(async () => rig?.stop());

  it('lists the entrance as a line with its direction, draws it as a segment with an arrow pointing right, and selects it by a click beside the segment', async () => {
    const { page } = await rig.loginAs('admin');
    await openHall(page);
    const item = page.locator('#zone-list li[data-zone=entrance]');
    expect(await item.locator('.badge').textContent()).toBe('Line');
    expect(await item.locator('.direction').textContent()).toBe('in: Right →');

    // The arrow's white head lies right of the segment's middle, nothing white left of it (a 2-point polygon would draw neither).
    const white = (rgba: number[]) => rgba[0]! > 200 && rgba[1]! > 200 && rgba[2]! > 200 && rgba[3]! > 200;
    await expect.poll(async () => white(await pixel(page, 0.45, 0.475, 22))).toBe(true);
    expect(white(await pixel(page, 0.45, 0.475, -26))).toBe(false);
    const [r, g, b] = await pixel(page, 0.45, 0.4, 0);
    expect([r, g, b]).toEqual([0xd9, 0x46, 0xef]);

    // 4 px left of the segment is inside the queue 'line' (x < 0.45): the line is picked, not the area under it.
    await page.mouse.click(...(await onCanvas(page, 0.45, 0.5, -4)));
    const form = page.locator('#zone-form');
    expect(await form.locator('input[name=id]').inputValue()).toBe('entrance');
    expect(await form.locator('select[name=type]').inputValue()).toBe('line');
    expect(await form.locator('select[name=inDirection]').inputValue()).toBe('right');
    expect(await form.locator('input[name=enterAfterSeconds]').inputValue()).toBe('0.5');
    // A line has side inertia only (the schema takes no exitAfterSeconds or coolDownSeconds for it).
    expect(await form.locator('input[name=exitAfterSeconds]').isVisible()).toBe(false);
    expect(await form.locator('input[name=coolDownSeconds]').isVisible()).toBe(false);
    await screenshot(page, 'admin-zones-line-selected');

    await page.click('#zone-list li[data-zone=lobby]');
    expect(await form.locator('input[name=coolDownSeconds]').inputValue()).toBe('45');
    expect(await form.locator('input[name=exitAfterSeconds]').inputValue()).toBe('4');
    expect(await form.locator('input[name=enterAfterSeconds]').inputValue()).toBe('2');
    await page.click('#zone-list li[data-zone=desk]');
    expect(await form.locator('input[name=coolDownSeconds]').isVisible()).toBe(false);
    expect(await form.locator('input[name=exitAfterSeconds]').inputValue()).toBe('');
    expect(await form.locator('input[name=exitAfterSeconds]').getAttribute('placeholder')).toBe('default 2');
  });

  it('draws a new line with two clicks, points it left, drags an end and saves; the other zones keep every setting', async () => {
    const before = (await rig.api<ZonesView>('/api/cameras/hall/zones')).json.zones;
    expect(before.map((z) => z.id)).toEqual(['line', 'desk', 'entrance', 'lobby']);
    const { page } = await rig.loginAs('admin');
    await openHall(page);

    await page.click('#zone-add-line');
    await page.mouse.click(...(await onCanvas(page, 0.85, 0.1)));
    await page.mouse.click(...(await onCanvas(page, 0.85, 0.3)));
    // The second click finished the line: it is selected in the form, pointing across itself.
    const form = page.locator('#zone-form');
    await form.waitFor({ state: 'visible' });
    expect(await form.locator('select[name=type]').inputValue()).toBe('line');
    expect(await form.locator('select[name=inDirection]').inputValue()).toBe('right');
    await form.locator('input[name=id]').fill('exit');
    await form.locator('select[name=inDirection]').selectOption('left');
    await form.locator('input[name=enterAfterSeconds]').fill('0.5');
    expect(await page.locator('#zone-list li[data-zone=exit] .direction').textContent()).toBe('in: Left ←');
    await page.mouse.move(...(await onCanvas(page, 0.85, 0.3)));
    await page.mouse.down();
    await page.mouse.move(...(await onCanvas(page, 0.9, 0.35)), { steps: 4 });
    await page.mouse.up();
    // A setting of an existing zone edited in the form.
    await page.click('#zone-list li[data-zone=desk]');
    await form.locator('input[name=exitAfterSeconds]').fill('3');
    await save(page);
    expect(await page.locator('#zone-error').isHidden(), (await page.locator('#zone-error').textContent()) ?? '').toBe(true);
    await screenshot(page, 'admin-zones-line-saved');

    const saved = await rig.api<ZonesView>('/api/cameras/hall/zones');
    expect(saved.json.source).toBe('saved');
    const zones = saved.json.zones;
    expect(zones.map((z) => z.id)).toEqual(['line', 'desk', 'entrance', 'lobby', 'exit']);
    const drawn = zones[4]!;
    expect(Object.keys(drawn).sort()).toEqual(['enterAfterSeconds', 'id', 'inDirection', 'points', 'type']);
    expect(drawn).toMatchObject({ type: 'line', inDirection: 'left', enterAfterSeconds: 0.5 });
    expect(drawn.points).toHaveLength(2);
    const expected = [[0.85, 0.1], [0.9, 0.35]];
    drawn.points.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(expected[i]![0]!, 2);
      expect(y).toBeCloseTo(expected[i]![1]!, 2);
    });
    // Loaded zones go back as loaded: the entrance's side inertia, the lobby's inertia and cool-down.
    expect(zones[0]).toEqual(before[0]);
    expect(zones[1]).toEqual({ ...before[1], exitAfterSeconds: 3 });
    expect(zones[2]).toEqual(ENTRANCE);
    expect(zones[3]).toEqual(LOBBY);
    const live = await rig.api<{ cameras: Array<{ camera: { cameraId: string }; zones: Array<{ zoneId: string; type: string }> }> }>('/api/cameras');
    expect(live.json.cameras.find((c) => c.camera.cameraId === 'hall')!.zones).toContainEqual(expect.objectContaining({ zoneId: 'exit', type: 'line' }));
  });

  it('refuses a line that runs along its direction, naming inDirection on the page (vi), saves nothing, and saves once the direction crosses it', async () => {
    const before = (await rig.api<ZonesView>('/api/cameras/hall/zones')).json.zones;
    const { page } = await rig.loginAs('admin', 'vi');
    await openHall(page);
    await page.click('#zone-add-line');
    await page.mouse.click(...(await onCanvas(page, 0.55, 0.9)));
    await page.mouse.click(...(await onCanvas(page, 0.7, 0.9)));
    const direction = page.locator('#zone-form select[name=inDirection]');
    // A flat line points down by default; the labels are Vietnamese.
    expect(await direction.locator('option:checked').textContent()).toBe('Xuống dưới ↓');
    await direction.selectOption('right');
    await save(page);
    const error = page.locator('#zone-error');
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toContain(`zones[${before.length}].inDirection: 'right' runs along the line`);
    expect((await direction.getAttribute('class')) ?? '').toContain('invalid');
    await screenshot(page, 'admin-zones-line-refused-vi');
    expect((await rig.api<ZonesView>('/api/cameras/hall/zones')).json.zones).toEqual(before);

    await direction.selectOption('up');
    expect((await direction.getAttribute('class')) ?? '').not.toContain('invalid');
    await save(page);
    expect(await error.isHidden(), (await error.textContent()) ?? '').toBe(true);
    const after = (await rig.api<ZonesView>('/api/cameras/hall/zones')).json.zones;
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[before.length]).toMatchObject({ type: 'line', inDirection: 'up' });
  });
});

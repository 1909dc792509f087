import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaPath } from '../../test-helpers/media';
import { MAX_PHOTO_PIXELS, PhotoSlots } from '../watchlist';
import { startApiRig, type ApiRig } from './api-rig';

/**
 * Image decompression bombs at enrolment: a PNG of one colour compresses 16000x16000 pixels (768 MB
 * as RGB) into some 30 KB, under every byte limit. The photo's header is read before any decoding, and
 * a photo over MAX_PHOTO_PIXELS is refused with 413 naming it.
 */
let rig: ApiRig;
let bomb: Buffer;
const MiB = 2 ** 20;

beforeAll(async () => {
  rig = await startApiRig();
  bomb = blankPng(16_000, 16_000);
  expect(await sharp(bomb).metadata()).toMatchObject({ format: 'png', width: 16_000, height: 16_000 });
  // The face engine loads on first use: load it before measuring, with a photo that passes.
  const warm = await rig.call('POST', '/api/watchlist/preview', 'security', form([readFileSync(mediaPath('astronaut.png'))]));
  expect(warm.status).toBe(200);
}, 60_000);
afterAll(() => rig?.stop());

/**
 * A valid black PNG, one bit per pixel: 16000x16000 deflates to about 30 KB (what the audit sent).
 * Written by hand because encoding it with sharp takes several seconds.
 */
function blankPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(1, 8); // bit depth 1, colour type 0 (grey), deflate, filter 0, no interlace
  // Each row: filter type 0, then width bits of black.
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function form(photos: Buffer[], name?: string): FormData {
  const f = new FormData();
  if (name) f.set('name', name);
  for (const [i, p] of photos.entries()) f.append('photo', new Blob([p]), `photo${i}.png`);
  return f;
}

/** Runs `work` while sampling this process's RSS every few ms; the server under test runs in this process. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMiB: number; ms: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const started = performance.now();
  try {
    const result = await work();
    return { result, growthMiB: (Math.max(peak, process.memoryUsage.rss()) - before) / MiB, ms: performance.now() - started };
  } finally {
    clearInterval(sampler);
  }
}

describe('enrolment photo decompression bombs', () => {
  it('refuses a 16000x16000 PNG at preview and enrolment with 413 naming the photo, without decoding it', async () => {
    expect(bomb.length).toBeLessThan(2 * MiB);
    expect(16_000 * 16_000).toBeGreaterThan(MAX_PHOTO_PIXELS);
    const { result, growthMiB, ms } = await peakRssGrowth(async () => {
      const preview = await rig.call('POST', '/api/watchlist/preview', 'security', form([bomb, bomb]));
      const enrol = await rig.call('POST', '/api/watchlist', 'security', form([bomb], 'Bomb'));
      return { preview: { status: preview.status, body: (await preview.json()) as { photos: Array<Record<string, unknown>>; usable: boolean } }, enrol: { status: enrol.status, body: (await enrol.json()) as { error: string; field: string } } };
    });
    console.info(`two ${Math.round(bomb.length / 1024)} KB 16000x16000 PNGs previewed and one enrolled: ${ms.toFixed(0)} ms, peak RSS growth ${growthMiB.toFixed(1)} MiB`);
    expect(result.preview.status).toBe(200);
    expect(result.preview.body.usable).toBe(false);
    expect(result.preview.body.photos).toEqual([
      expect.objectContaining({ photo: 0, ok: false, status: 413, field: 'photo[0]', error: expect.stringMatching(/photo\[0\] is 16000x16000 pixels/) }),
      expect.objectContaining({ photo: 1, ok: false, status: 413, field: 'photo[1]' }),
    ]);
    expect(result.enrol.status).toBe(413);
    expect(result.enrol.body).toMatchObject({ field: 'photo[0]', error: expect.stringMatching(/photo\[0\] is 16000x16000 pixels; the limit is/) });
    expect(growthMiB).toBeLessThan(200);
    expect(rig.db.prepare('SELECT count(*) FROM watchlist_persons').pluck().get()).toBe(0);
  });

  it('still enrols an ordinary photo', async () => {
    const res = await rig.call('POST', '/api/watchlist', 'security', form([readFileSync(mediaPath('astronaut.png'))], 'Eileen Collins'));
    expect(res.status).toBe(201);
  });
});

describe('photo check slots', () => {
  it('runs at most `running` checks at once, lines up `waiting` more for at most waitMs, and refuses the rest as busy naming the photo (the API answers 503)', async () => {
    const slots = new PhotoSlots({ running: 2, waiting: 1, waitMs: 300 });
    let inFlight = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const check = (field: string) =>
      slots.run(field, async () => {
        most = Math.max(most, ++inFlight);
        await new Promise<void>((resolve) => releases.push(resolve));
        inFlight--;
        return field;
      });
    const first = check('photo[0]');
    const second = check('photo[1]');
    const third = check('photo[2]');
    await expect(check('photo[3]')).rejects.toMatchObject({ kind: 'busy', field: 'photo[3]', message: expect.stringMatching(/photo\[3\]: too many photos/) });
    expect([slots.running, slots.waiting]).toEqual([2, 1]);
    releases.shift()!();
    expect(await first).toBe('photo[0]');
    await expect.poll(() => releases.length).toBe(2); // the third took the freed slot
    expect([slots.running, slots.waiting, most]).toEqual([2, 0, 2]);
    // Nothing frees a slot now: the next one in line gives up after waitMs.
    await expect(check('photo[4]')).rejects.toMatchObject({ kind: 'busy', field: 'photo[4]' });
    expect(slots.waiting).toBe(0);
    for (const release of releases.splice(0)) release();
    expect(await Promise.all([second, third])).toEqual(['photo[1]', 'photo[2]']);
    expect([slots.running, slots.waiting, most]).toEqual([0, 0, 2]);
  });
});

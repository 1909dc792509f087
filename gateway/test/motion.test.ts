import { describe, expect, it } from 'vitest';
import { videoFrame } from '../../test-helpers/media';
import { MotionGate } from '../pipeline/motion';

describe('motion gate', () => {
  it('passes a moving street scene, skips a static one except for the heartbeat, and flags blackout', async () => {
    const gate = new MotionGate({ threshold: 0.006, heartbeatMs: 5000, tamperThreshold: 0.35, blackoutBelow: 0.03 });
    const a = videoFrame('vtest.avi', 100);
    const b = videoFrame('vtest.avi', 105);
    expect((await gate.check(a, 0)).detect).toBe(true);
    const moving = await gate.check(b, 1000);
    expect(moving.reason).toBe('motion');
    const still1 = await gate.check(b, 2000);
    const still2 = await gate.check(b, 3000);
    expect([still1.reason, still2.reason]).toEqual(['static', 'static']);
    expect((await gate.check(b, 6500)).reason).toBe('heartbeat');
    const black = { data: new Uint8Array(a.data.length), width: a.width, height: a.height };
    const r = await gate.check(black, 7000);
    expect(r.tamper).toBe('blackout');
    expect(gate.skipped).toBe(2);
  });
});

describe('grey thumbnail', () => {
  it('measures the same motion between two real frames as sharp\'s 64x36 grey thumbnail did, and the luma of a flat frame', async () => {
    const { default: sharp } = await import('sharp');
    const { greyThumbnail } = await import('../pipeline/motion');
    const viaSharp = async (f: { data: Uint8Array; width: number; height: number }) =>
      sharp(f.data, { raw: { width: f.width, height: f.height, channels: 3 } }).resize(64, 36, { kernel: 'linear', fit: 'fill' }).greyscale().raw().toBuffer();
    const ours = (f: { data: Uint8Array; width: number; height: number }) => {
      const out = new Uint8Array(64 * 36);
      greyThumbnail(f, out);
      return out;
    };
    const difference = (a: Uint8Array, b: Uint8Array) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length / 255;
    // The gate's threshold (0.0015) was calibrated on sharp's thumbnails: walking people 0.0023-0.01 at 5 fps.
    for (const [n, m] of [[100, 105], [300, 305], [500, 505]] as const) {
      const [a, b] = [videoFrame('vtest.avi', n), videoFrame('vtest.avi', m)];
      const theirs = difference(await viaSharp(a), await viaSharp(b));
      expect(difference(ours(a), ours(b)) / theirs, `frames ${n}-${m}`).toBeGreaterThan(0.8);
      expect(difference(ours(a), ours(b)) / theirs, `frames ${n}-${m}`).toBeLessThan(1.25);
    }
    const flat = { width: 640, height: 360, data: new Uint8Array(640 * 360 * 3).map((_, i) => [200, 100, 50][i % 3]!) };
    expect(new Set(ours(flat))).toEqual(new Set([Math.round((77 * 200 + 150 * 100 + 29 * 50) / 256)]));
  });
});

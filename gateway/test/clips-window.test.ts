import { describe, expect, it } from 'vitest';
import type { BufferedSegment } from '../../streams/segments';
import { planClip } from '../clips';

/** Segments of 2 s from `fromS` to `toS` (seconds), one run. */
const segs = (fromS: number, toS: number, run = 'r1'): BufferedSegment[] =>
  Array.from({ length: Math.round((toS - fromS) / 2) }, (_, i) => ({ path: `${run}-${i}.ts`, run, startMs: (fromS + 2 * i) * 1000, endMs: (fromS + 2 * i + 2) * 1000, streamStart: 2 * i, bytes: 1 }));

describe('which segments make a clip', () => {
  it('starts on the segment boundary nearest the window start and cuts at its end', () => {
    expect(planClip(segs(0, 20), 4_600, 12_500)).toMatchObject({ startMs: 4_000, endMs: 12_500, reasons: [] });
    expect(planClip(segs(0, 20), 5_400, 12_500)).toMatchObject({ startMs: 6_000, endMs: 12_500, reasons: [] });
    expect(planClip(segs(0, 20), 5_400, 12_500)!.segments.map((s) => s.startMs)).toEqual([6_000, 8_000, 10_000, 12_000]);
  });

  it('flags what is missing: the pre-roll, a gap where the camera reconnected, the end after an outage', () => {
    expect(planClip(segs(6, 20), 2_000, 12_000)!.reasons).toEqual(['no_preroll']);
    expect(planClip([...segs(0, 6), ...segs(10, 20, 'r2')], 0, 16_000)!.reasons).toEqual(['gap']);
    expect(planClip(segs(0, 8), 0, 16_000)).toMatchObject({ endMs: 8_000, reasons: ['camera_outage'] });
    // Within a second of the window is no loss: a segment ends on a keyframe.
    expect(planClip(segs(0, 8), 0, 8_900)!.reasons).toEqual([]);
  });

  it('has no plan without video in the window', () => {
    expect(planClip(segs(0, 8), 10_000, 20_000)).toBeUndefined();
    expect(planClip([], 0, 1000)).toBeUndefined();
  });
});

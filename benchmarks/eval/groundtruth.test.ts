import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUND_TRUTH, GroundTruthError, isScored, loadGroundTruth, parseGroundTruth } from './groundtruth';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'tiny.json');
const fixture = (): Record<string, unknown> & { frames: Array<{ frame: number; people: Array<Record<string, unknown>> }> } => JSON.parse(readFileSync(FIXTURE, 'utf8'));

/** The error parseGroundTruth throws for this object. */
function errorOf(raw: unknown): GroundTruthError {
  try {
    parseGroundTruth(raw, 'gt.json');
  } catch (err) {
    if (err instanceof GroundTruthError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('ground truth file', () => {
  it('loads the fixture: frames in order, ignore defaulting to false, scored = not ignored and >= 48 px', () => {
    const gt = loadGroundTruth(FIXTURE);
    expect(gt.frames.map((f) => f.frame)).toEqual([0, 10, 20]);
    const p4 = gt.frames[1]!.people.find((p) => p.id === 'P4')!;
    expect(isScored(p4)).toBe(false);
    expect(isScored(gt.frames[0]!.people[0]!)).toBe(true);
    expect(isScored({ id: 'x', box: [0, 0, 10, 47], ignore: false })).toBe(false);
  });

  it('names the bad field', () => {
    const flipped = fixture();
    flipped.frames[2]!.people[1]!.box = [432, 175, 412, 250];
    expect(errorOf(flipped)).toMatchObject({ path: 'frames[2].people[1].box', message: expect.stringContaining('gt.json: frames[2].people[1].box: box must be [x1, y1, x2, y2]') });

    const outside = fixture();
    outside.frames[0]!.people[0]!.box = [700, 500, 800, 580];
    expect(errorOf(outside).path).toBe('frames[0].people[0].box');

    const twice = fixture();
    twice.frames[1]!.people[1]!.id = 'P1';
    expect(errorOf(twice)).toMatchObject({ path: 'frames[1].people[1].id', message: expect.stringContaining('P1 appears twice') });

    const noWidth = fixture();
    delete (noWidth.video as Record<string, unknown>).width;
    expect(errorOf(noWidth).path).toBe('video.width');

    const late = fixture();
    late.frames[2]!.frame = 795;
    expect(errorOf(late)).toMatchObject({ path: 'frames[2].frame', message: expect.stringContaining('past the video') });

    const overlap = fixture();
    overlap.split = { dev: { fromFrame: 0, toFrame: 500 }, holdout: { fromFrame: 400, toFrame: 794 } };
    expect(errorOf(overlap)).toMatchObject({ path: 'split', message: expect.stringContaining('overlap') });

    expect(() => loadGroundTruth(join(import.meta.dirname, 'fixtures', 'missing.json'))).toThrow(GroundTruthError);
  });

  it.runIf(existsSync(DEFAULT_GROUND_TRUTH))('the repository ground truth (benchmarks/groundtruth/vtest.json) passes validation', () => {
    const gt = loadGroundTruth(DEFAULT_GROUND_TRUTH);
    expect(gt.video).toMatchObject({ name: 'vtest.avi', width: 768, height: 576 });
    expect(gt.frames.length).toBeGreaterThan(0);
  });
});

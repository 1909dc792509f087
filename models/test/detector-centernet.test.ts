import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector, type Detection } from '../detector';
import { decodeImage } from '../image';
import { mediaPath, videoFrame } from '../../test-helpers/media';

let detector: Detector;

beforeAll(async () => {
  detector = await Detector.create({ kind: 'centernet', scoreThreshold: 0.3, classes: ['person'], session: { intraOpThreads: 2 } });
});
afterAll(() => detector?.dispose());

const persons = (ds: Detection[], threshold: number): Detection[] => ds.filter((d) => d.label === 'person' && d.score >= threshold);
const contains = (d: Detection, [x, y]: [number, number]): boolean => d.box.x1 <= x && x <= d.box.x2 && d.box.y1 <= y && y <= d.box.y2;

describe('default CenterNet person detector on real images', () => {
  it('finds the 3 walking people in vtest.avi frame 0 and no other person', async () => {
    const found = persons(await detector.detectOne(videoFrame('vtest.avi', 0)), 0.45);
    // Hand-marked body centres of the three people in frame 0 (768x576).
    const people: Array<[number, number]> = [[268, 265], [515, 195], [662, 282]];
    expect(found).toHaveLength(3);
    for (const p of people) expect(found.filter((d) => contains(d, p))).toHaveLength(1);
  });

  it('finds at least 5 people in vtest.avi frame 300', async () => {
    const found = persons(await detector.detectOne(videoFrame('vtest.avi', 300)), 0.45);
    expect(found.length).toBeGreaterThanOrEqual(5);
  });

  it('finds the player in messi5.jpg and no person in fruits.jpg', async () => {
    const messi = persons(await detector.detectOne(await decodeImage(mediaPath('messi5.jpg'))), 0.45);
    expect(messi.length).toBeGreaterThanOrEqual(1);
    const fruits = persons(await detector.detectOne(await decodeImage(mediaPath('fruits.jpg'))), 0.45);
    expect(fruits).toHaveLength(0);
  });

  it('finds both players in basketball1.png at threshold 0.3', async () => {
    const found = persons(await detector.detectOne(await decodeImage(mediaPath('basketball1.png'))), 0.3);
    console.info('basketball1 person scores', found.map((d) => d.score.toFixed(3)).join(', '));
    expect(found.length).toBeGreaterThanOrEqual(2);
  });

  it('gives the same detections for a batch as for one frame at a time', async () => {
    const frames = [videoFrame('vtest.avi', 0), videoFrame('vtest.avi', 300), await decodeImage(mediaPath('messi5.jpg'))];
    expect(detector.info.batchSize).toBeGreaterThan(1);
    const batched = await detector.detect(frames);
    for (const [i, frame] of frames.entries()) {
      const single = await detector.detectOne(frame);
      expect(batched[i]!.length).toBe(single.length);
      batched[i]!.forEach((d, k) => {
        expect(d.score).toBeCloseTo(single[k]!.score, 4);
        expect(d.box.x1).toBeCloseTo(single[k]!.box.x1, 2);
        expect(d.box.y2).toBeCloseTo(single[k]!.box.y2, 2);
      });
    }
  });
});

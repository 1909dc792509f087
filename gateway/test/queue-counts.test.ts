import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../../models';
import { mediaPath } from '../../test-helpers/media';
import { resolveFfmpeg } from '../../streams';
import { FrameCutter } from '../../streams/camera/frame-cutter';
import { CameraConfigSchema } from '../config';
import { ZoneRules } from '../pipeline/rules';
import { Tracker } from '../tracking';

const W = 640;
const H = 360;
let detector: Detector;
beforeAll(async () => {
  detector = await Detector.create({ kind: 'centernet', classes: ['person'], scoreThreshold: 0.2, session: { intraOpThreads: 2 } });
});
afterAll(() => detector?.dispose());

/**
 * Hand-checked on vtest.avi (768x576, 10 fps) with the zone drawn on the frame: people whose feet
 * stand in the left 45% of the frame below 35% of its height. The live count is who is seen there
 * now, so it holds from the first second (zone inertia delays entries and exits, not the count).
 */
const HAND_CHECKED: Record<number, [number, number]> = {
  10: [1, 1], // one man walking on the grass edge
  250: [2, 2], // a man at the left end of the path and one walking on it below the fence; the one by the lamp post is outside
  150: [0, 0], // everyone is on the right half
  300: [3, 4], // a group of four crossing; one may hide another
  450: [1, 1], // one man standing at the zone's right edge
};

describe('queue zone counts on real video', () => {
  it('matches hand-checked counts for chosen frames of vtest.avi', async () => {
    const camera = CameraConfigSchema.parse({
      id: 'vtest',
      url: 'file',
      zones: [{ id: 'left', type: 'queue', points: [[0, 0.35], [0.45, 0.35], [0.45, 1], [0, 1]] }],
    });
    const tracker = new Tracker();
    const rules = new ZoneRules(camera, 'UTC', { start: () => undefined, update: () => undefined, end: () => undefined }, () => undefined);
    // Every second frame (5 fps), decoded and scaled by ffmpeg as the gateway does.
    const ffmpeg = spawn(resolveFfmpeg().path, ['-v', 'error', '-i', mediaPath('vtest.avi'), '-vf', `select=not(mod(n\\,2)),scale=${W}:${H}`, '-vsync', 'passthrough', '-frames:v', '230', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    const pending: Buffer[] = [];
    const cutter = new FrameCutter(W * H * 3, (f) => pending.push(f));
    const counts = new Map<number, number>();
    let index = 0;
    for await (const chunk of ffmpeg.stdout) {
      cutter.push(chunk as Buffer);
      while (pending.length) {
        const data = pending.shift()!;
        const frameNumber = index * 2;
        const at = frameNumber * 100;
        const people = await detector.detectOne({ data, width: W, height: H });
        const { active, ended } = tracker.update(people.map((p) => ({ box: p.box, score: p.score })), at);
        rules.update(active, ended, W, H, at);
        if (frameNumber in HAND_CHECKED) counts.set(frameNumber, rules.liveZones(at)[0]!.count);
        index++;
      }
    }
    console.info(`zone counts at frames ${[...counts].map(([f, c]) => `${f}: ${c}`).join(', ')}`);
    for (const [frame, [lo, hi]] of Object.entries(HAND_CHECKED)) {
      const count = counts.get(Number(frame));
      expect(count, `frame ${frame}`).toBeGreaterThanOrEqual(lo);
      expect(count, `frame ${frame}`).toBeLessThanOrEqual(hi);
    }
  });
});

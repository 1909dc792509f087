import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../streams';
import { mediaPath } from '../../test-helpers/media';
import { FileFrames } from './file-frames';

/** Frame n of the video alone, scaled as the camera scales it: the reference for FileFrames' numbering. */
function reference(path: string, n: number): Buffer {
  return execFileSync(resolveFfmpeg().path, ['-v', 'error', '-i', path, '-vf', `select=eq(n\\,${n}),scale=640:360:flags=bilinear`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 24 });
}

describe('FileFrames: a video file as a pull-based camera', () => {
  it('hands out every 2nd frame with its exact frame number in capturedAt, and stops after maxFrames', async () => {
    const path = mediaPath('vtest.avi');
    const t0 = Date.UTC(2026, 0, 5, 3);
    const source = new FileFrames({ cameraId: 'c', path, fps: 10, every: 2, width: 640, height: 360, t0, maxFrames: 12 });
    source.start();
    const frames = new Map<number, Buffer>();
    for (;;) {
      const f = await source.next();
      if (!f) break;
      expect(f.capturedAt).toBe(t0 + f.seq * 100);
      frames.set(source.frameOf(f.capturedAt), f.data);
    }
    await source.finished;
    await source.stop();
    expect([...frames.keys()]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22]);
    expect(source.framesDelivered).toBe(12);
    for (const n of [10, 22]) {
      const ref = reference(path, n);
      expect(frames.get(n)!.equals(ref)).toBe(true);
      expect(frames.get(n - 2)!.equals(ref)).toBe(false);
    }
  });
});

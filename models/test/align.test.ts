import { describe, expect, it } from 'vitest';
import { ALIGNED_SIZE, buildAlignModel, thetaFromPixelAffine } from '../face/align-graph';
import { applyAffine, ARCFACE_TEMPLATE, estimateSimilarity } from '../face/similarity';
import { ort } from '../runtime/session';

describe('5-point similarity', () => {
  it('recovers a known rotation, scale and shift exactly', () => {
    const angle = (12 * Math.PI) / 180;
    const s = 1.7;
    const truth: [number, number, number, number, number, number] = [s * Math.cos(angle), -s * Math.sin(angle), 30, s * Math.sin(angle), s * Math.cos(angle), -8];
    const moved = ARCFACE_TEMPLATE.flatMap((_, i, t) => (i % 2 === 0 ? applyAffine(truth, t[i]!, t[i + 1]!) : []));
    const estimated = estimateSimilarity(ARCFACE_TEMPLATE, moved);
    estimated.forEach((v, i) => expect(v).toBeCloseTo(truth[i]!, 6));
  });

  it('refuses degenerate points', () => {
    expect(() => estimateSimilarity([1, 1, 1, 1], [0, 0, 1, 1])).toThrow(/not all identical/);
  });
});

describe('alignment model (AffineGrid + GridSample inside ORT)', () => {
  it('samples the crop where the pixel affine says, and normalises to (x - 127) / 128', async () => {
    const session = await ort.InferenceSession.create(buildAlignModel());
    const [w, h] = [200, 150];
    const crop = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) crop.set([x, y, 99], (y * w + x) * 3);
    const affine: [number, number, number, number, number, number] = [1, 0, 10, 0, 0.5, 20];
    const out = await session.run({
      crop: new ort.Tensor('uint8', crop, [1, h, w, 3]),
      theta: new ort.Tensor('float32', thetaFromPixelAffine(affine, w, h), [1, 2, 3]),
    });
    const aligned = out.aligned!.data as Float32Array;
    const plane = ALIGNED_SIZE * ALIGNED_SIZE;
    for (const [u, v] of [[0, 0], [50, 40], [111, 111], [7, 93]] as const) {
      const [x, y] = applyAffine(affine, u, v);
      expect(aligned[v * ALIGNED_SIZE + u]! * 128 + 127).toBeCloseTo(x, 3);
      expect(aligned[plane + v * ALIGNED_SIZE + u]! * 128 + 127).toBeCloseTo(y, 3);
      expect(aligned[2 * plane + v * ALIGNED_SIZE + u]!).toBeCloseTo((99 - 127) / 128, 5);
    }
    await session.release();
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { Detector, type Detection } from '../detector';
import { OnnxGraphBuilder, wrapWithInputResize } from '../onnx';
import { loadSession, ort } from '../runtime/session';
import { videoFrame } from '../../test-helpers/media';

const dir = mkdtempSync(join(tmpdir(), 'input-resize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bilinear sample with half-pixel centres (the ONNX Resize definition), as a test oracle. */
function bilinear(src: Uint8Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const out = new Float32Array(dw * dh * 3);
  const clamp = (v: number, hi: number) => Math.min(hi, Math.max(0, v));
  for (let y = 0; y < dh; y++) {
    const fy = clamp((y + 0.5) * (sh / dh) - 0.5, sh - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(sh - 1, y0 + 1);
    for (let x = 0; x < dw; x++) {
      const fx = clamp((x + 0.5) * (sw / dw) - 0.5, sw - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(sw - 1, x0 + 1);
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => src[(yy * sw + xx) * 3 + c]!;
        const top = p(y0, x0) * (1 - (fx - x0)) + p(y0, x1) * (fx - x0);
        const bottom = p(y1, x0) * (1 - (fx - x0)) + p(y1, x1) * (fx - x0);
        out[(y * dw + x) * 3 + c] = top * (1 - (fy - y0)) + bottom * (fy - y0);
      }
    }
  }
  return out;
}

describe('wrapWithInputResize', () => {
  it('stretches a frame of any size to the model input inside the graph (bilinear, half-pixel centres)', async () => {
    // The smallest image model: uint8 [N, 48, 64, 3] in, the same pixels as float out.
    const b = new OnnxGraphBuilder();
    b.addInput('image', 'uint8', ['N', 48, 64, 3]);
    b.addNode('Cast', ['image'], ['pixels'], { to: { kind: 'int', value: 1 } });
    b.addOutput('pixels', 'float32', ['N', 48, 64, 3]);
    const original = join(dir, 'tiny.onnx');
    writeFileSync(original, b.toBytes());
    const wrapped = wrapWithInputResize(original, dir)!;
    expect(wrapped).toMatchObject({ width: 64, height: 48 });
    const { session } = await loadSession(wrapped.path, { executionProviders: ['cpu'], intraOpThreads: 1 });
    try {
      for (const [sw, sh] of [[160, 90], [64, 48], [37, 100]] as const) {
        const src = Uint8Array.from({ length: sw * sh * 3 }, (_, i) => (i * 7919 + (i >> 5) * 31) % 256);
        const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('uint8', src, [1, sh, sw, 3]) });
        const got = out.pixels!;
        expect(got.dims).toEqual([1, 48, 64, 3]);
        const want = bilinear(src, sw, sh, 64, 48);
        const data = got.data as Float32Array;
        let worst = 0;
        let total = 0;
        for (let i = 0; i < want.length; i++) {
          const error = Math.abs(data[i]! - want[i]!);
          worst = Math.max(worst, error);
          total += error;
        }
        // uint8 in, uint8 out (ORT truncates its fixed-point sums): within about a grey level of the float oracle.
        expect(worst, `${sw}x${sh}`).toBeLessThanOrEqual(1.5);
        expect(total / want.length, `${sw}x${sh}`).toBeLessThan(0.8);
      }
    } finally {
      await session.release();
    }
  });

  it('gives the detector the same people for a 640x360 camera frame as resizing it in sharp first', async () => {
    const detector = await Detector.create({ kind: 'centernet', scoreThreshold: 0.3, classes: ['person'], session: { intraOpThreads: 1 } });
    try {
      expect(detector.info.inputWidth).toBe(512);
      const source = videoFrame('vtest.avi', 300);
      const camera = await sharp(source.data, { raw: { width: source.width, height: source.height, channels: 3 } }).resize(640, 360, { fit: 'fill' }).raw().toBuffer();
      const frame = { data: new Uint8Array(camera), width: 640, height: 360 };
      const inGraph = await detector.detectOne(frame);
      expect(detector.timings.frames).toBe(1);
      // The old path: sharp stretches to the model's input, the model gets it unresized.
      const stretched = new Uint8Array(await sharp(camera, { raw: { width: 640, height: 360, channels: 3 } }).resize(512, 512, { kernel: 'linear', fit: 'fill' }).raw().toBuffer());
      const viaSharp = (await detector.detectOne({ data: stretched, width: 512, height: 512 })).map((d) => ({
        ...d,
        box: { x1: (d.box.x1 * 640) / 512, x2: (d.box.x2 * 640) / 512, y1: (d.box.y1 * 360) / 512, y2: (d.box.y2 * 360) / 512 },
      }));
      const confident = (ds: Detection[]) => ds.filter((d) => d.score >= 0.4);
      expect(confident(inGraph).length).toBeGreaterThanOrEqual(5);
      expect(confident(inGraph).length).toBe(confident(viaSharp).length);
      for (const d of confident(inGraph)) {
        const twin = viaSharp.reduce((best, o) => (Math.abs(o.box.x1 - d.box.x1) + Math.abs(o.box.y1 - d.box.y1) < Math.abs(best.box.x1 - d.box.x1) + Math.abs(best.box.y1 - d.box.y1) ? o : best));
        for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(twin.box[k] - d.box[k])).toBeLessThan(4);
        expect(Math.abs(twin.score - d.score)).toBeLessThan(0.08);
      }
    } finally {
      await detector.dispose();
    }
  });
});

import { float, int, OnnxGraphBuilder, str } from '../onnx';

/** Side of the aligned face the embedder takes (the ArcFace template's frame). */
export const ALIGNED_SIZE = 112;

/**
 * Builds the alignment model: a uint8 RGB face crop [1, H, W, 3] (any size) and the affine `theta`
 * [1, 2, 3] in, the aligned, normalised embedder input [1, 3, 112, 112] = (x - 127) / 128 out.
 * AffineGrid + GridSample do the bilinear warp inside ORT, so no per-pixel JavaScript runs.
 */
export function buildAlignModel(): Uint8Array {
  const b = new OnnxGraphBuilder();
  b.addInput('crop', 'uint8', [1, 'height', 'width', 3]);
  b.addInput('theta', 'float32', [1, 2, 3]);
  const floats = b.addNode('Cast', ['crop'], ['crop_f32'], { to: int(1) });
  const nchw = b.addNode('Transpose', [floats], ['crop_nchw'], { perm: { kind: 'ints', value: [0, 3, 1, 2] } });
  const size = b.addInitializer('grid_size', BigInt64Array.from([1n, 3n, BigInt(ALIGNED_SIZE), BigInt(ALIGNED_SIZE)]), [4]);
  const grid = b.addNode('AffineGrid', ['theta', size], ['grid'], { align_corners: int(0) });
  const warped = b.addNode('GridSample', [nchw, grid], ['warped'], { mode: str('linear'), padding_mode: str('border'), align_corners: int(0) });
  const offset = b.addInitializer('offset', Float32Array.of(127), []);
  const scale = b.addInitializer('scale', Float32Array.of(1 / 128), []);
  const centred = b.addNode('Sub', [warped, offset], ['centred']);
  b.addNode('Mul', [centred, scale], ['aligned']);
  b.addOutput('aligned', 'float32', [1, 3, ALIGNED_SIZE, ALIGNED_SIZE]);
  b.setMetadata('purpose', 'face alignment to the ArcFace 112x112 template');
  return b.toBytes({ opset: 20, graphName: 'face_align' });
}

/**
 * `theta` for AffineGrid (align_corners = 0) from a pixel-space affine that maps aligned-face pixel
 * (u, v) to crop pixel (x, y) = (a u + b v + c, d u + e v + f), for a crop of cropW x cropH.
 */
export function thetaFromPixelAffine(m: readonly [number, number, number, number, number, number], cropW: number, cropH: number): Float32Array {
  const [a, b, c, d, e, f] = m;
  const n = ALIGNED_SIZE;
  // Normalised grid coordinate g in [-1, 1] ↔ pixel p: p = ((g + 1) * size - 1) / 2.
  // x_norm = (2x + 1) / W - 1 with x = a u + b v + c and u = ((gu + 1) n - 1) / 2.
  const row = (pa: number, pb: number, pc: number, size: number): [number, number, number] => {
    const k = n / size;
    const constant = (2 * (pa * (n - 1) / 2 + pb * (n - 1) / 2 + pc) + 1) / size - 1;
    return [pa * k, pb * k, constant];
  };
  return Float32Array.from([...row(a, b, c, cropW), ...row(d, e, f, cropH)]);
}

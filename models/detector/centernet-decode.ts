import type { CandidateBuffer } from './nms';
import type { DecodeParams, OutputData } from './yolo-decode';

// Class-id lists are built once per detector (its `allowed` mask) or class count, not per frame.
const idsOfMask = new WeakMap<Uint8Array, readonly number[]>();
const idsOfCount = new Map<number, readonly number[]>();
function classIdsOf(allowed: Uint8Array | undefined, classes: number): readonly number[] {
  if (!allowed) {
    let ids = idsOfCount.get(classes);
    if (!ids) idsOfCount.set(classes, (ids = Array.from({ length: classes }, (_, c) => c)));
    return ids;
  }
  let ids = idsOfMask.get(allowed);
  if (!ids) idsOfMask.set(allowed, (ids = Array.from(allowed.keys()).filter((c) => allowed[c] === 1)));
  return ids;
}

/**
 * Decodes CenterNet heads for one frame of a batch.
 * `peaks` [N, H, W, C] is the class heatmap already zeroed everywhere but 3x3 local maxima (done in
 * the graph); `wh` [N, H, W, 4] holds distances from the cell centre to the left, top, right and
 * bottom edges in input pixels. Boxes come out in model-input pixels.
 */
export function decodeCenternetHeads(
  peaks: OutputData,
  wh: OutputData,
  batch: number,
  inputWidth: number,
  p: DecodeParams,
  out: CandidateBuffer,
): void {
  const [, gridH, gridW, classes] = peaks.dims as [number, number, number, number];
  const stride = inputWidth / gridW;
  const heat = peaks.data as Float32Array;
  const sizes = wh.data as Float32Array;
  const classIds = classIdsOf(p.allowed, classes);
  const cells = gridH * gridW;
  const heatBase = batch * cells * classes;
  const whBase = batch * cells * 4;
  for (let cell = 0; cell < cells; cell++) {
    const row = heatBase + cell * classes;
    for (const c of classIds) {
      if (c >= classes) continue;
      const score = heat[row + c]!;
      if (score < p.scoreThreshold) continue;
      const cx = (cell % gridW) * stride;
      const cy = Math.floor(cell / gridW) * stride;
      const s = whBase + cell * 4;
      out.push(cx - sizes[s]!, cy - sizes[s + 1]!, cx + sizes[s + 2]!, cy + sizes[s + 3]!, score, c);
    }
  }
}

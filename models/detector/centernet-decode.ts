import type { CandidateBuffer } from './nms';
import type { DecodeParams, OutputData } from './yolo-decode';

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
  const classIds = p.allowed
    ? Array.from(p.allowed.keys()).filter((c) => p.allowed![c] === 1 && c < classes)
    : Array.from({ length: classes }, (_, c) => c);
  const cells = gridH * gridW;
  const heatBase = batch * cells * classes;
  const whBase = batch * cells * 4;
  for (let cell = 0; cell < cells; cell++) {
    const row = heatBase + cell * classes;
    for (const c of classIds) {
      const score = heat[row + c]!;
      if (score < p.scoreThreshold) continue;
      const cx = (cell % gridW) * stride;
      const cy = Math.floor(cell / gridW) * stride;
      const s = whBase + cell * 4;
      out.push(cx - sizes[s]!, cy - sizes[s + 1]!, cx + sizes[s + 2]!, cy + sizes[s + 3]!, score, c);
    }
  }
}

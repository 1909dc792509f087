import type { YoloLayout } from './config';
import type { CandidateBuffer } from './nms';

/** A model output as flat data; `dims` are the concrete run-time dimensions. */
export interface OutputData {
  data: Float32Array | Int32Array | BigInt64Array;
  dims: readonly number[];
}

/** Every output layout a detector backend may have: the YOLO family plus the default CenterNet heads. */
export type OutputLayout = YoloLayout | 'centernet-heads';

export interface DecodeParams {
  scoreThreshold: number;
  /** Class ids to keep; undefined keeps all. */
  allowed?: Uint8Array;
}

function allowedClass(p: DecodeParams, cls: number): boolean {
  return !p.allowed || (cls >= 0 && cls < p.allowed.length && p.allowed[cls] === 1);
}

function decodeV8(o: OutputData, batch: number, p: DecodeParams, out: CandidateBuffer): void {
  const channels = o.dims[1]!;
  const anchors = o.dims[2]!;
  const d = o.data as Float32Array;
  const base = batch * channels * anchors;
  const classes = channels - 4;
  for (let n = 0; n < anchors; n++) {
    let best = -1;
    let bestScore = p.scoreThreshold;
    for (let c = 0; c < classes; c++) {
      const s = d[base + (4 + c) * anchors + n]!;
      if (s >= bestScore && allowedClass(p, c)) {
        bestScore = s;
        best = c;
      }
    }
    if (best < 0) continue;
    const cx = d[base + n]!;
    const cy = d[base + anchors + n]!;
    const w = d[base + 2 * anchors + n]!;
    const h = d[base + 3 * anchors + n]!;
    out.push(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, bestScore, best);
  }
}

function decodeV5(o: OutputData, batch: number, p: DecodeParams, out: CandidateBuffer): void {
  const anchors = o.dims[1]!;
  const cols = o.dims[2]!;
  const d = o.data as Float32Array;
  const classes = cols - 5;
  for (let n = 0; n < anchors; n++) {
    const row = (batch * anchors + n) * cols;
    const objectness = d[row + 4]!;
    if (objectness < p.scoreThreshold) continue;
    let best = -1;
    let bestScore = p.scoreThreshold;
    for (let c = 0; c < classes; c++) {
      const s = objectness * d[row + 5 + c]!;
      if (s >= bestScore && allowedClass(p, c)) {
        bestScore = s;
        best = c;
      }
    }
    if (best < 0) continue;
    const cx = d[row]!;
    const cy = d[row + 1]!;
    const w = d[row + 2]!;
    const h = d[row + 3]!;
    out.push(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, bestScore, best);
  }
}

function decodeNmsBoxes(o: OutputData, batch: number, p: DecodeParams, out: CandidateBuffer): void {
  const rows = o.dims[1]!;
  const d = o.data as Float32Array;
  for (let r = 0; r < rows; r++) {
    const i = (batch * rows + r) * 6;
    const score = d[i + 4]!;
    const cls = Math.round(d[i + 5]!);
    if (score >= p.scoreThreshold && allowedClass(p, cls)) out.push(d[i]!, d[i + 1]!, d[i + 2]!, d[i + 3]!, score, cls);
  }
}

function decodeNmsFlat(o: OutputData, batch: number, p: DecodeParams, out: CandidateBuffer): void {
  const rows = o.dims[0]!;
  const d = o.data as Float32Array;
  for (let r = 0; r < rows; r++) {
    const i = r * 7;
    if (Math.round(d[i]!) !== batch) continue;
    const cls = Math.round(d[i + 5]!);
    const score = d[i + 6]!;
    if (score >= p.scoreThreshold && allowedClass(p, cls)) out.push(d[i + 1]!, d[i + 2]!, d[i + 3]!, d[i + 4]!, score, cls);
  }
}

function decodeNmsSplit(outs: OutputData[], batch: number, p: DecodeParams, out: CandidateBuffer): void {
  const [num, boxes, scores, classes] = outs as [OutputData, OutputData, OutputData, OutputData];
  const k = boxes.dims[1]!;
  const count = Math.min(k, Number(num.data[batch] ?? 0));
  const b = boxes.data as Float32Array;
  for (let r = 0; r < count; r++) {
    const score = Number(scores.data[batch * k + r]);
    const cls = Number(classes.data[batch * k + r]);
    const i = (batch * k + r) * 4;
    if (score >= p.scoreThreshold && allowedClass(p, cls)) out.push(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, score, cls);
  }
}

/** Appends the candidates of image `batch` (model-input pixels) to `out`. */
export function decodeYolo(layout: YoloLayout, outs: OutputData[], batch: number, p: DecodeParams, out: CandidateBuffer): void {
  const first = outs[0]!;
  switch (layout) {
    case 'yolov8':
      return decodeV8(first, batch, p, out);
    case 'yolov5':
      return decodeV5(first, batch, p, out);
    case 'nms-boxes':
      return decodeNmsBoxes(first, batch, p, out);
    case 'nms-flat':
      return decodeNmsFlat(first, batch, p, out);
    case 'nms-split':
      return decodeNmsSplit(outs, batch, p, out);
  }
}

/** Whether the layout's output is already non-max suppressed by the model. */
export function layoutHasNms(layout: OutputLayout): boolean {
  return layout.startsWith('nms-');
}

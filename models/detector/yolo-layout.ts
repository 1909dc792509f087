import { ModelError } from '../errors';
import type { YoloLayout } from './config';

export type Dim = number | string;

export interface OutputInfo {
  name: string;
  shape: readonly Dim[];
}

export interface ResolvedLayout {
  layout: YoloLayout;
  /** Output names in the order the decoder reads them. */
  outputs: string[];
  /** Number of classes implied by the output shape, when it tells. */
  classCount?: number;
}

const EXPECTED =
  'one of: YOLOv5 [batch, anchors, 5+classes]; YOLOv8/v11 [batch, 4+classes, anchors]; ' +
  'NMS built in [batch, detections, 6] (x1,y1,x2,y2,score,class), [detections, 7] (batch,x1,y1,x2,y2,class,score), ' +
  'or four outputs num_dets/boxes/scores/classes';

/** Up to this many rows a [batch, rows, 6] output is read as NMS results rather than raw anchors. */
const MAX_NMS_ROWS = 1000;

function describe(outputs: readonly OutputInfo[]): string {
  return outputs.map((o) => `${o.name} [${o.shape.join(', ')}]`).join('; ');
}

function fail(modelPath: string, outputs: readonly OutputInfo[], why: string): never {
  throw new ModelError(
    `${modelPath}: unsupported detector outputs (${why}): found ${describe(outputs)}; expected ${EXPECTED}`,
    `${modelPath}:outputs`,
  );
}

function splitNmsOutputs(outputs: readonly OutputInfo[]): string[] | undefined {
  const find = (re: RegExp): OutputInfo | undefined => outputs.find((o) => re.test(o.name));
  const num = find(/num/i);
  const boxes = find(/box/i);
  const scores = find(/score/i);
  const classes = find(/class|label/i);
  if (!num || !boxes || !scores || !classes) return undefined;
  return [num.name, boxes.name, scores.name, classes.name];
}

/** Picks the decoding layout from the model's output shapes (and the class count when known). */
export function resolveYoloLayout(
  modelPath: string,
  outputs: readonly OutputInfo[],
  knownClassCount: number | undefined,
  forced?: YoloLayout,
): ResolvedLayout {
  if (outputs.length === 4 || forced === 'nms-split') {
    const names = splitNmsOutputs(outputs);
    if (names) return { layout: 'nms-split', outputs: names };
    if (forced === 'nms-split') fail(modelPath, outputs, 'layout nms-split needs num_dets, boxes, scores and classes outputs');
  }
  // Some YOLOv5 exports also expose the three raw head maps; the decoded output is the rank-3 one named output*.
  const candidates = outputs.length === 1 ? outputs : outputs.filter((o) => /^output0?$/.test(o.name));
  const out = candidates[0];
  if (!out || candidates.length !== 1) fail(modelPath, outputs, 'cannot tell which output holds the detections');

  const shape = out.shape;
  if (shape.length === 2) {
    if (shape[1] === 7 && (!forced || forced === 'nms-flat')) return { layout: 'nms-flat', outputs: [out.name] };
    fail(modelPath, outputs, `rank-2 output must have 7 columns`);
  }
  if (shape.length !== 3) fail(modelPath, outputs, `output has rank ${shape.length}`);
  const rows = shape[1];
  const cols = shape[2];
  const num = (d: Dim | undefined): number | undefined => (typeof d === 'number' && d > 0 ? d : undefined);
  const a = num(rows);
  const b = num(cols);

  if (forced) {
    const classCount = forced === 'yolov5' && b ? b - 5 : forced === 'yolov8' && a ? a - 4 : undefined;
    return { layout: forced, outputs: [out.name], ...(classCount ? { classCount } : {}) };
  }
  if (knownClassCount !== undefined) {
    if (a === 4 + knownClassCount && (b === undefined || b > a)) return { layout: 'yolov8', outputs: [out.name], classCount: knownClassCount };
    if (b === 5 + knownClassCount && (a === undefined || a > MAX_NMS_ROWS || knownClassCount !== 1)) {
      return { layout: 'yolov5', outputs: [out.name], classCount: knownClassCount };
    }
  }
  if (b === 6 && (a === undefined || a <= MAX_NMS_ROWS)) return { layout: 'nms-boxes', outputs: [out.name] };
  if (a !== undefined && b !== undefined) {
    if (a < b && a > 4) return { layout: 'yolov8', outputs: [out.name], classCount: a - 4 };
    if (b < a && b > 5) return { layout: 'yolov5', outputs: [out.name], classCount: b - 5 };
  }
  if (a !== undefined && b === undefined && a > 4) return { layout: 'yolov8', outputs: [out.name], classCount: a - 4 };
  if (b !== undefined && a === undefined && b > 5) return { layout: 'yolov5', outputs: [out.name], classCount: b - 5 };
  return fail(modelPath, outputs, 'shape does not match a known layout');
}

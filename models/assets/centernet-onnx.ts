import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONVERTER_VERSION, convertTfjsGraphModel, type ConvertOptions } from '../tfjs-onnx';
import { fuseHardSwish } from '../onnx/fuse-hard-swish';
import { onnx } from '../onnx/proto';
import { keepCenternetClasses } from './centernet-classes';
import { ensureCenternetTfjs, modelsCacheDir } from './index';

/** Outputs of the batchable variant: the peak map (heatmap kept only at 3x3 local maxima) and box sizes. */
export const CENTERNET_HEAD_OUTPUTS = { peaks: 'tower_0/mul_1', wh: 'tower_0/wh' } as const;

export interface CenternetOnnxOptions {
  uint8Input: boolean;
  /**
   * true: the batchable heads variant (outputs `peaks`, `wh`), decoded in JS.
   * false: the whole graph with batch 1, including its TopK tail (`tower_0/detections`) and `tower_0/keypoints`.
   */
  dynamicBatch: boolean;
  /**
   * Heads variant only: keep just these COCO class ids in the class head (see keepCenternetClasses);
   * the `peaks` output then has one channel per id, in this order. All 80 when absent.
   */
  classIds?: readonly number[];
}

function convertOptions(options: CenternetOnnxOptions): ConvertOptions {
  return options.dynamicBatch
    ? { uint8Input: options.uint8Input, dynamicBatch: true, outputs: { ...CENTERNET_HEAD_OUTPUTS } }
    : { uint8Input: options.uint8Input, dynamicBatch: false, outputs: { 'tower_0/keypoints': 'tower_0/keypoints', 'tower_0/detections': 'tower_0/detections' } };
}

/**
 * Converts the TF.js CenterNet to ONNX once and caches it, keyed by the source files' checksum, the
 * converter version and the options: a new package version or converter change converts again.
 */
export async function ensureCenternetOnnx(options: CenternetOnnxOptions): Promise<string> {
  const source = ensureCenternetTfjs();
  const convert = convertOptions(options);
  const key = createHash('sha256')
    .update(readFileSync(source.modelJson))
    .update(readFileSync(source.weights))
    .update(JSON.stringify({ converter: CONVERTER_VERSION, passes: ['fuse-hard-swish-2'], convert, classIds: options.classIds ?? null }))
    .digest('hex')
    .slice(0, 16);
  const dir = join(modelsCacheDir(), 'converted');
  if (options.classIds && !options.dynamicBatch) throw new Error('classIds applies to the heads variant (dynamicBatch: true) only');
  const classes = options.classIds ? `-c${options.classIds.join('_')}` : '';
  const variant = `${options.dynamicBatch ? 'heads' : 'full'}-${options.uint8Input ? 'u8' : 'f32'}${classes}`;
  const target = join(dir, `centernet-${variant}-${key}.onnx`);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true });
  const model = onnx.ModelProto.decode(convertTfjsGraphModel(source.modelJson, convert));
  fuseHardSwish(model.graph!);
  if (options.classIds) keepCenternetClasses(model, options.classIds);
  const bytes = onnx.ModelProto.encode(model).finish();
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, target);
  return target;
}

import { join } from 'node:path';
import { modelsCacheDir } from '../assets';
import { ModelError } from '../errors';
import { wrapWithUint8Input } from '../onnx/uint8-input';
import { loadSession, ort, type ExecutionProvider } from '../runtime/session';
import { COCO_LABELS } from './coco-labels';
import type { ParsedDetectorConfig } from './config';
import { parseNamesMetadata, readLabelsFile } from './labels';
import type { OutputLayout } from './yolo-decode';
import { resolveYoloLayout, type Dim } from './yolo-layout';

/** An opened detector model: uint8 NHWC RGB in, a known output layout out. */
export interface DetectorBackend {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  modelPath: string;
  inputName: string;
  inputWidth: number;
  inputHeight: number;
  /** Frames per run the model accepts: 1 for a fixed batch dimension. */
  batchCapacity: number;
  layout: OutputLayout;
  outputNames: string[];
  classNames: readonly string[];
}

function dimsOf(meta: ort.InferenceSession.ValueMetadata | undefined): readonly Dim[] {
  return meta && meta.isTensor ? meta.shape : [];
}

function positive(d: Dim | undefined): number | undefined {
  return typeof d === 'number' && d > 0 ? d : undefined;
}

export async function openCenterNet(cfg: Extract<ParsedDetectorConfig, { kind: 'centernet' }>): Promise<DetectorBackend> {
  // Loaded lazily: the TF.js converter is only needed when the default CenterNet model is used.
  const { ensureCenternetOnnx } = await import('../assets/centernet-onnx');
  // Only the asked-for classes stay in the class head: fewer channels to compute, pool and decode.
  const classIds = (cfg.classes ? [...new Set(cfg.classes)] : undefined)?.map((name) => {
    const id = COCO_LABELS.indexOf(name);
    if (id < 0) throw new ModelError(`unknown class '${name}' in detector classes; the model has ${COCO_LABELS.length} COCO classes`, 'classes');
    return id;
  });
  const modelPath = await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: true, ...(classIds ? { classIds } : {}) });
  const { session, provider } = await loadSession(modelPath, cfg.session);
  const input = session.inputMetadata[0];
  const shape = dimsOf(input);
  if (!input || !session.outputNames.includes('peaks') || !session.outputNames.includes('wh')) {
    throw new ModelError(`${modelPath}: converted CenterNet lacks its 'peaks' and 'wh' outputs; delete the file to convert again`, modelPath);
  }
  return {
    session,
    provider,
    modelPath,
    inputName: input.name,
    inputHeight: positive(shape[1]) ?? 512,
    inputWidth: positive(shape[2]) ?? 512,
    batchCapacity: positive(shape[0]) ?? cfg.maxBatch,
    layout: 'centernet-heads',
    outputNames: ['peaks', 'wh'],
    classNames: classIds ? classIds.map((id) => COCO_LABELS[id]!) : COCO_LABELS,
  };
}

export async function openYolo(cfg: Extract<ParsedDetectorConfig, { kind: 'yolo' }>): Promise<DetectorBackend> {
  const wrapped = wrapWithUint8Input(cfg.modelPath, { scale: cfg.pixelScale }, join(modelsCacheDir(), 'wrapped'));
  const { session, provider } = await loadSession(wrapped.path, cfg.session);
  const input = session.inputMetadata[0];
  const shape = dimsOf(input);
  if (!input || shape.length !== 4 || (typeof shape[3] === 'number' && shape[3] !== 3)) {
    throw new ModelError(
      `${cfg.modelPath}: expected input [batch, 3, height, width] (RGB), found [${shape.join(', ')}]`,
      `${cfg.modelPath}:inputs`,
    );
  }
  const inputHeight = positive(shape[1]) ?? cfg.inputSize?.height ?? 640;
  const inputWidth = positive(shape[2]) ?? cfg.inputSize?.width ?? 640;
  const labelNames = cfg.labelsPath
    ? readLabelsFile(cfg.labelsPath)
    : wrapped.metadata.names
      ? parseNamesMetadata(wrapped.metadata.names)
      : undefined;
  const outputs = session.outputNames.map((name, i) => ({ name, shape: dimsOf(session.outputMetadata[i]) }));
  const resolved = resolveYoloLayout(cfg.modelPath, outputs, labelNames?.length, cfg.layout);
  const classCount = labelNames?.length ?? resolved.classCount ?? 0;
  if (labelNames && resolved.classCount !== undefined && resolved.classCount !== labelNames.length) {
    throw new ModelError(
      `${cfg.modelPath}: output has ${resolved.classCount} classes but ${labelNames.length} labels were given`,
      cfg.labelsPath ?? `${cfg.modelPath}:metadata.names`,
    );
  }
  const classNames = labelNames ?? Array.from({ length: classCount }, (_, i) => COCO_LABELS[i] ?? `class_${i}`);
  return {
    session,
    provider,
    modelPath: cfg.modelPath,
    inputName: input.name,
    inputWidth,
    inputHeight,
    batchCapacity: positive(shape[0]) ?? cfg.maxBatch,
    layout: resolved.layout,
    outputNames: resolved.outputs,
    classNames,
  };
}

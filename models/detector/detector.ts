import { assertRgbFrame, type RgbFrame } from '../image';
import { ModelError } from '../errors';
import { ort, type ExecutionProvider } from '../runtime/session';
import { openCenterNet, openYolo, type DetectorBackend } from './backends';
import { decodeCenternetHeads } from './centernet-decode';
import { DetectorConfigSchema, type DetectorConfig, type ParsedDetectorConfig } from './config';
import { CandidateBuffer, nonMaxSuppression } from './nms';
import { resizeInto, toSourceBox } from './preprocess';
import type { Detection, InputTransform } from './types';
import { decodeYolo, layoutHasNms, type DecodeParams, type OutputData, type OutputLayout } from './yolo-decode';

export interface DetectorInfo {
  kind: ParsedDetectorConfig['kind'];
  modelPath: string;
  provider: ExecutionProvider;
  layout: OutputLayout;
  inputWidth: number;
  inputHeight: number;
  /** Frames per model run. */
  batchSize: number;
  classNames: readonly string[];
}

/** Milliseconds spent per stage since the detector was created (each on the thread that ran it). */
export interface DetectorTimings {
  /**
   * Frames into the input tensor: a sharp resize to the model's input, or a copy when the frame is
   * already that size. Wall time: sharp resizes on libuv/libvips threads while the caller waits.
   */
  prepareMs: number;
  /** ORT session.run. */
  inferenceMs: number;
  /** Decoding the outputs into boxes (and NMS). */
  outputsMs: number;
}

/**
 * Person/object detector: RGB frames of any size in, boxes in source-frame pixels out.
 * Frames are resized in C (sharp) into one preallocated uint8 batch buffer; the model
 * normalises inside the graph; several frames run in one call when the model allows it.
 * (A Resize node inside the graph was tried for issue 14: 4-6 core-ms a frame cheaper, but its
 * bilinear sampling is not sharp's, and on vtest.avi the tracker's identity switches went from 4
 * to 9 and tracks per person from 1.17 to 1.39 with any of ORT's Resize modes; so sharp stays.)
 */
export class Detector {
  readonly timings: DetectorTimings = { prepareMs: 0, inferenceMs: 0, outputsMs: 0 };
  /** The clock inference and outputs are timed with, in ms: wall time by default; a worker may give its thread's CPU clock. */
  clock: () => number = () => performance.now();
  private readonly batchBuffer: Uint8Array;
  private readonly candidates = new CandidateBuffer();
  private readonly decodeParams: DecodeParams;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly backend: DetectorBackend,
    private readonly config: ParsedDetectorConfig,
  ) {
    const batch = this.batchSize;
    this.batchBuffer = new Uint8Array(batch * backend.inputWidth * backend.inputHeight * 3);
    this.decodeParams = { scoreThreshold: config.scoreThreshold, ...(config.classes ? { allowed: this.allowedClasses(config.classes) } : {}) };
  }

  static async create(config: DetectorConfig): Promise<Detector> {
    const parsed = DetectorConfigSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || 'detector';
      throw new ModelError(`invalid detector config at ${field}: ${issue.message}`, field);
    }
    const cfg = parsed.data;
    const backend = cfg.kind === 'centernet' ? await openCenterNet(cfg) : await openYolo(cfg);
    return new Detector(backend, cfg);
  }

  get batchSize(): number {
    return Math.max(1, Math.min(this.config.maxBatch, this.backend.batchCapacity));
  }

  get info(): DetectorInfo {
    const b = this.backend;
    return {
      kind: this.config.kind,
      modelPath: b.modelPath,
      provider: b.provider,
      layout: b.layout,
      inputWidth: b.inputWidth,
      inputHeight: b.inputHeight,
      batchSize: this.batchSize,
      classNames: b.classNames,
    };
  }

  /** Detects objects in each frame; result[i] belongs to frames[i]. Calls are serialised. */
  detect(frames: readonly RgbFrame[]): Promise<Detection[][]> {
    try {
      frames.forEach((f, i) => assertRgbFrame(f, `frames[${i}]`));
    } catch (err) {
      return Promise.reject(err);
    }
    const run = this.queue.then(() => this.detectSerial(frames));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async detectOne(frame: RgbFrame): Promise<Detection[]> {
    const [result] = await this.detect([frame]);
    return result ?? [];
  }

  async dispose(): Promise<void> {
    await this.queue;
    await this.backend.session.release();
  }

  private allowedClasses(names: readonly string[]): Uint8Array {
    const allowed = new Uint8Array(this.backend.classNames.length);
    for (const name of names) {
      const id = this.backend.classNames.indexOf(name);
      if (id < 0) throw new ModelError(`unknown class '${name}' in detector classes; the model has ${this.backend.classNames.length} classes`, 'classes');
      allowed[id] = 1;
    }
    return allowed;
  }

  private async detectSerial(frames: readonly RgbFrame[]): Promise<Detection[][]> {
    const results: Detection[][] = [];
    for (let start = 0; start < frames.length; start += this.batchSize) {
      const chunk = frames.slice(start, start + this.batchSize);
      results.push(...(await this.runBatch(chunk)));
    }
    return results;
  }

  /** Runs the model on a prepared batch of `count` frames at its input size; exposed for benchmarks. */
  runPrepared(count: number): Promise<OutputData[]> {
    const { inputWidth: w, inputHeight: h } = this.backend;
    return this.run(this.batchBuffer.subarray(0, count * w * h * 3), count, w, h);
  }

  private async run(data: Uint8Array, count: number, width: number, height: number): Promise<OutputData[]> {
    const { inputName, outputNames, session } = this.backend;
    const feeds = { [inputName]: new ort.Tensor('uint8', data, [count, height, width, 3]) };
    const out = await session.run(feeds, outputNames);
    return outputNames.map((name) => {
      const t = out[name]!;
      return { data: t.data as OutputData['data'], dims: t.dims };
    });
  }

  private async runBatch(frames: readonly RgbFrame[]): Promise<Detection[][]> {
    const started = performance.now();
    const { data, width, height, transforms } = await this.resizeAll(frames);
    const preparedMs = performance.now() - started;
    const prepared = this.clock();
    const outputs = await this.run(data, frames.length, width, height);
    const inferred = this.clock();
    const detections = transforms.map((t, i) => this.decodeFrame(outputs, i, t));
    const t = this.timings;
    t.prepareMs += preparedMs;
    t.inferenceMs += inferred - prepared;
    t.outputsMs += this.clock() - inferred;
    return detections;
  }

  private async resizeAll(frames: readonly RgbFrame[]): Promise<{ data: Uint8Array; width: number; height: number; transforms: InputTransform[] }> {
    const { inputWidth: w, inputHeight: h } = this.backend;
    const transforms = await Promise.all(frames.map((f, i) => resizeInto(f, w, h, this.config.resize, this.batchBuffer, i * w * h * 3)));
    return { data: this.batchBuffer.subarray(0, frames.length * w * h * 3), width: w, height: h, transforms };
  }

  private decodeFrame(outputs: OutputData[], index: number, t: InputTransform): Detection[] {
    const c = this.candidates;
    c.reset();
    const { layout, inputWidth } = this.backend;
    if (layout === 'centernet-heads') decodeCenternetHeads(outputs[0]!, outputs[1]!, index, inputWidth, this.decodeParams, c);
    else decodeYolo(layout, outputs, index, this.decodeParams, c);
    const keep = layoutHasNms(layout)
      ? Array.from({ length: Math.min(c.count, this.config.maxDetections) }, (_, i) => i)
      : nonMaxSuppression(c, this.config.iouThreshold, this.config.maxDetections);
    return keep.map((k) => {
      const classId = c.classes[k]!;
      return {
        box: toSourceBox(t, c.boxes[k * 4]!, c.boxes[k * 4 + 1]!, c.boxes[k * 4 + 2]!, c.boxes[k * 4 + 3]!),
        score: c.scores[k]!,
        classId,
        label: this.backend.classNames[classId] ?? `class_${classId}`,
      };
    });
  }
}

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
  frames: number;
  /** Frames into the input tensor: a copy for a batch, a sharp resize when the model cannot resize. */
  prepareMs: number;
  /** ORT session.run, including the in-graph resize. */
  inferenceMs: number;
  /** Decoding the outputs into boxes (and NMS). */
  outputsMs: number;
}

/**
 * Person/object detector: RGB frames of any size in, boxes in source-frame pixels out.
 * A stretching model resizes frames inside the graph (wrapWithInputResize), so a camera frame goes
 * in as ffmpeg delivered it; otherwise frames are resized in sharp into one preallocated batch
 * buffer. The model normalises inside the graph; several frames run in one call when it allows.
 */
export class Detector {
  readonly timings: DetectorTimings = { frames: 0, prepareMs: 0, inferenceMs: 0, outputsMs: 0 };
  /** The clock `timings` are taken with, in ms: wall time by default; a worker may give its thread's CPU clock. */
  clock: () => number = () => performance.now();
  private readonly batchBuffer: Uint8Array;
  /** Batches of camera-size frames for a model that resizes in the graph, reused while the size holds. */
  private gatherBuffer: Uint8Array | undefined;
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

  /** Runs frames in batches of at most batchSize; a model that resizes in the graph batches only frames of one size. */
  private async detectSerial(frames: readonly RgbFrame[]): Promise<Detection[][]> {
    const results: Detection[][] = new Array<Detection[]>(frames.length);
    const groups = new Map<string, number[]>();
    frames.forEach((f, i) => {
      const key = this.backend.resizesInGraph ? `${f.width}x${f.height}` : '';
      const group = groups.get(key);
      if (group) group.push(i);
      else groups.set(key, [i]);
    });
    for (const indices of groups.values()) {
      for (let start = 0; start < indices.length; start += this.batchSize) {
        const chunk = indices.slice(start, start + this.batchSize);
        const detections = await this.runBatch(chunk.map((i) => frames[i]!));
        chunk.forEach((frameIndex, k) => (results[frameIndex] = detections[k]!));
      }
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
    const started = this.clock();
    const { data, width, height, transforms } = this.backend.resizesInGraph ? this.gather(frames) : await this.resizeAll(frames);
    const prepared = this.clock();
    const outputs = await this.run(data, frames.length, width, height);
    const inferred = this.clock();
    const detections = transforms.map((t, i) => this.decodeFrame(outputs, i, t));
    const t = this.timings;
    t.frames += frames.length;
    t.prepareMs += prepared - started;
    t.inferenceMs += inferred - prepared;
    t.outputsMs += this.clock() - inferred;
    return detections;
  }

  /** Frames of one size as they are (one frame: no copy at all); the model stretches them. */
  private gather(frames: readonly RgbFrame[]): { data: Uint8Array; width: number; height: number; transforms: InputTransform[] } {
    const { width, height } = frames[0]!;
    const { inputWidth: w, inputHeight: h } = this.backend;
    const transform: InputTransform = { scaleX: w / width, scaleY: h / height, padX: 0, padY: 0, srcWidth: width, srcHeight: height };
    const transforms = frames.map(() => transform);
    if (frames.length === 1) return { data: frames[0]!.data, width, height, transforms };
    const size = width * height * 3;
    if (!this.gatherBuffer || this.gatherBuffer.length < size * frames.length) this.gatherBuffer = new Uint8Array(size * this.batchSize);
    frames.forEach((f, i) => this.gatherBuffer!.set(f.data, i * size));
    return { data: this.gatherBuffer.subarray(0, size * frames.length), width, height, transforms };
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

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ensureFaceModels, modelsCacheDir } from '../assets';
import { CandidateBuffer, nonMaxSuppression, type Box } from '../detector';
import { ModelError } from '../errors';
import { assertRgbFrame, type RgbFrame } from '../image';
import { wrapWithUint8Input } from '../onnx/uint8-input';
import { loadSession, ort, type ExecutionProvider, type LoadedSession } from '../runtime/session';
import { ALIGNED_SIZE, buildAlignModel, thetaFromPixelAffine } from './align-graph';
import { FaceEngineConfigSchema, type FaceEngineConfig, type ParsedFaceEngineConfig } from './config';
import { fivePointsFrom68, frontality, squareRegion, type Region } from './geometry';
import { ARCFACE_TEMPLATE, estimateSimilarity, l2Normalise, type Affine } from './similarity';
import type { Face, FaceDetection } from './types';

const DETECT_W = 320;
const DETECT_H = 240;
const LANDMARK_SIZE = 64;
/** Aligned crops are cut from at most this many pixels a side, so a huge face costs no more than a normal one. */
const ALIGN_CROP_MAX = 224;

function alignModelPath(): string {
  const bytes = buildAlignModel();
  const dir = join(modelsCacheDir(), 'generated');
  const path = join(dir, `face-align-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.onnx`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  }
  return path;
}

const rawInput = (frame: RgbFrame) => ({ raw: { width: frame.width, height: frame.height, channels: 3 as const } });

/**
 * Face detection (RFB-320), 68-point landmarks, 5-point alignment to the ArcFace template and
 * 512-d embeddings. Pixel work runs in sharp (crop, resize, grey) and inside the models (uint8 in,
 * normalisation and the alignment warp in the graph). Calls are serialised.
 */
export class FaceEngine {
  private readonly detectInput = new Uint8Array(DETECT_W * DETECT_H * 3);
  private readonly candidates = new CandidateBuffer();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly config: ParsedFaceEngineConfig,
    private readonly detector: LoadedSession,
    private readonly landmarker: LoadedSession,
    private readonly aligner: LoadedSession,
    private readonly embedder: LoadedSession,
  ) {}

  static async create(config: FaceEngineConfig = {}): Promise<FaceEngine> {
    const parsed = FaceEngineConfigSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || 'face';
      throw new ModelError(`invalid face engine config at ${field}: ${issue.message}`, field);
    }
    const cfg = parsed.data;
    const files = ensureFaceModels();
    const wrapped = join(modelsCacheDir(), 'wrapped');
    const detectPath = wrapWithUint8Input(files.detect, { offset: 127, scale: 1 / 128 }, wrapped).path;
    const landmarkPath = wrapWithUint8Input(files.landmark, { scale: 1 / 256, dynamicBatch: true }, wrapped).path;
    const [detector, landmarker, aligner, embedder] = await Promise.all([
      loadSession(detectPath, cfg.session),
      // Tiny models: one thread each, so they add no thread pools to compete with the big two.
      loadSession(landmarkPath, { ...cfg.session, intraOpThreads: 1 }),
      loadSession(alignModelPath(), { ...cfg.session, intraOpThreads: 1, executionProviders: ['cpu'] }),
      loadSession(files.embed, cfg.session),
    ]);
    return new FaceEngine(cfg, detector, landmarker, aligner, embedder);
  }

  get provider(): ExecutionProvider {
    return this.embedder.provider;
  }

  /** Face boxes in frame pixels, best first. */
  detect(frame: RgbFrame): Promise<FaceDetection[]> {
    return this.serialise(frame, () => this.detectSerial(frame));
  }

  /** Detects faces, then landmarks, aligns and embeds each one. */
  analyze(frame: RgbFrame): Promise<Face[]> {
    return this.serialise(frame, async () => this.describe(frame, await this.detectSerial(frame)));
  }

  /** Landmarks, alignment and embeddings for faces already found (e.g. by an earlier detect call). */
  describeFaces(frame: RgbFrame, faces: readonly FaceDetection[]): Promise<Face[]> {
    return this.serialise(frame, () => this.describe(frame, faces));
  }

  async dispose(): Promise<void> {
    await this.queue;
    await Promise.all([this.detector, this.landmarker, this.aligner, this.embedder].map((s) => s.session.release()));
  }

  private serialise<T>(frame: RgbFrame, work: () => Promise<T>): Promise<T> {
    try {
      assertRgbFrame(frame);
    } catch (err) {
      return Promise.reject(err);
    }
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async detectSerial(frame: RgbFrame): Promise<FaceDetection[]> {
    const resized = await sharp(frame.data, rawInput(frame)).resize(DETECT_W, DETECT_H, { kernel: 'linear', fit: 'fill' }).raw().toBuffer();
    this.detectInput.set(resized);
    const { session } = this.detector;
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('uint8', this.detectInput, [1, DETECT_H, DETECT_W, 3]) });
    const scores = out.scores!.data as Float32Array;
    const boxes = out.boxes!.data as Float32Array;
    const c = this.candidates;
    c.reset();
    const anchors = scores.length / 2;
    for (let i = 0; i < anchors; i++) {
      const score = scores[2 * i + 1]!;
      if (score < this.config.scoreThreshold) continue;
      const clip = (v: number, size: number) => Math.min(size, Math.max(0, v * size));
      c.push(clip(boxes[4 * i]!, frame.width), clip(boxes[4 * i + 1]!, frame.height), clip(boxes[4 * i + 2]!, frame.width), clip(boxes[4 * i + 3]!, frame.height), score, 0);
    }
    return nonMaxSuppression(c, this.config.iouThreshold, this.config.maxFaces).map((k) => ({
      box: { x1: c.boxes[4 * k]!, y1: c.boxes[4 * k + 1]!, x2: c.boxes[4 * k + 2]!, y2: c.boxes[4 * k + 3]! },
      score: c.scores[k]!,
    }));
  }

  private async describe(frame: RgbFrame, faces: readonly FaceDetection[]): Promise<Face[]> {
    const alignable = faces.filter((f) => faceSize(f.box) >= this.config.minAlignSize);
    const landmarks = await this.landmarks(frame, alignable);
    const described: Face[] = [];
    for (const face of faces) {
      const points68 = landmarks.get(face);
      const size = faceSize(face.box);
      if (points68) {
        const keypoints = fivePointsFrom68(points68);
        const embedding = await this.embed(frame, face.box, (region, scale) => {
          const local = keypoints.map((v, i) => (v - (i % 2 === 0 ? region.left : region.top)) * scale);
          return estimateSimilarity(ARCFACE_TEMPLATE, local);
        });
        const quality = face.score * Math.min(1, size / ALIGNED_SIZE) * frontality(keypoints);
        described.push({ ...face, landmarks: points68, keypoints, aligned: true, embedding, quality });
      } else {
        const embedding = await this.embed(frame, face.box, (region, scale) => boxAffine(face.box, region, scale));
        const alignSkipped = `face is ${size.toFixed(0)} px, below the ${this.config.minAlignSize} px needed for reliable landmarks`;
        described.push({ ...face, aligned: false, alignSkipped, embedding, quality: face.score * Math.min(1, size / ALIGNED_SIZE) * 0.5 });
      }
    }
    return described;
  }

  /** 68 landmarks per face in frame pixels, all faces in one model run. */
  private async landmarks(frame: RgbFrame, faces: readonly FaceDetection[]): Promise<Map<FaceDetection, Float32Array>> {
    const result = new Map<FaceDetection, Float32Array>();
    if (faces.length === 0) return result;
    const plane = LANDMARK_SIZE * LANDMARK_SIZE;
    const batch = new Uint8Array(faces.length * plane);
    const regions = await Promise.all(
      faces.map(async (face, i) => {
        const region = squareRegion(face.box, 1, frame.width, frame.height);
        const grey = await sharp(frame.data, rawInput(frame))
          .extract(region)
          .resize(LANDMARK_SIZE, LANDMARK_SIZE, { kernel: 'linear', fit: 'fill' })
          .greyscale()
          .raw()
          .toBuffer();
        batch.set(grey.subarray(0, plane), i * plane);
        return region;
      }),
    );
    const { session } = this.landmarker;
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('uint8', batch, [faces.length, LANDMARK_SIZE, LANDMARK_SIZE, 1]) });
    const points = out[session.outputNames[0]!]!.data as Float32Array;
    faces.forEach((face, i) => {
      const r = regions[i]!;
      const p = new Float32Array(136);
      for (let k = 0; k < 68; k++) {
        p[2 * k] = r.left + points[i * 136 + 2 * k]! * r.width;
        p[2 * k + 1] = r.top + points[i * 136 + 2 * k + 1]! * r.height;
      }
      result.set(face, p);
    });
    return result;
  }

  /**
   * Cuts a region around the face (sharp, at most ALIGN_CROP_MAX a side), warps it to 112x112 with
   * the template→crop affine from `toCrop`, and embeds it.
   */
  private async embed(frame: RgbFrame, box: Box, toCrop: (region: Region, scale: number) => Affine): Promise<Float32Array> {
    const region = squareRegion(box, 2, frame.width, frame.height);
    const scale = Math.min(1, ALIGN_CROP_MAX / Math.max(region.width, region.height));
    const cropW = Math.max(1, Math.round(region.width * scale));
    const cropH = Math.max(1, Math.round(region.height * scale));
    let pipeline = sharp(frame.data, rawInput(frame)).extract(region);
    if (scale < 1) pipeline = pipeline.resize(cropW, cropH, { kernel: 'linear', fit: 'fill' });
    const crop = new Uint8Array(await pipeline.raw().toBuffer());
    const theta = thetaFromPixelAffine(toCrop(region, cropW / region.width), cropW, cropH);
    const aligned = await this.aligner.session.run({
      crop: new ort.Tensor('uint8', crop, [1, cropH, cropW, 3]),
      theta: new ort.Tensor('float32', theta, [1, 2, 3]),
    });
    const { session } = this.embedder;
    const out = await session.run({ [session.inputNames[0]!]: aligned.aligned! });
    return l2Normalise(Float32Array.from(out[session.outputNames[0]!]!.data as Float32Array));
  }
}

function faceSize(box: Box): number {
  return Math.max(box.x2 - box.x1, box.y2 - box.y1);
}

/**
 * Where the five keypoints sit, on average, inside an upright face's detector box (fractions of
 * its width and height). Used instead of landmarks when the face is too small for them.
 */
const MEAN_KEYPOINTS_IN_BOX = [0.3, 0.36, 0.7, 0.36, 0.5, 0.55, 0.33, 0.72, 0.67, 0.72];

/** Without landmarks: the template mapped onto the mean keypoint positions in the box. */
function boxAffine(box: Box, region: Region, scale: number): Affine {
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  const points = MEAN_KEYPOINTS_IN_BOX.map((f, i) =>
    i % 2 === 0 ? (box.x1 + f * w - region.left) * scale : (box.y1 + f * h - region.top) * scale,
  );
  return estimateSimilarity(ARCFACE_TEMPLATE, points);
}

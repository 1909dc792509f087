import { Detector, type DetectorConfig } from '../detector';
import { FaceEngine } from '../face';
import { decodeImage } from '../image';

interface DetectOptions {
  model?: string | undefined;
  labels?: string | undefined;
  threshold?: string | undefined;
  classes?: string | undefined;
}

function detectorConfig(o: DetectOptions): DetectorConfig {
  const scoreThreshold = o.threshold === undefined ? undefined : Number(o.threshold);
  if (scoreThreshold !== undefined && !(scoreThreshold >= 0 && scoreThreshold <= 1)) {
    throw new Error(`--threshold must be a number between 0 and 1, got '${o.threshold}'`);
  }
  const common = {
    ...(scoreThreshold !== undefined ? { scoreThreshold } : {}),
    ...(o.classes ? { classes: o.classes.split(',').map((c) => c.trim()) } : {}),
  };
  return o.model
    ? { kind: 'yolo', modelPath: o.model, ...(o.labels ? { labelsPath: o.labels } : {}), ...common }
    : { kind: 'centernet', ...common };
}

const round = (v: number): number => Math.round(v * 10) / 10;

export async function detectCommand(images: string[], options: DetectOptions): Promise<void> {
  if (images.length === 0) throw new Error('usage: detect <image...> [--model F --labels F --threshold T --classes a,b]');
  const detector = await Detector.create(detectorConfig(options));
  try {
    for (const path of images) {
      const frame = await decodeImage(path);
      const started = performance.now();
      const detections = await detector.detectOne(frame);
      const ms = performance.now() - started;
      console.log(
        JSON.stringify({
          image: path,
          ms: round(ms),
          detections: detections.map((d) => ({
            label: d.label,
            score: Math.round(d.score * 1000) / 1000,
            box: [round(d.box.x1), round(d.box.y1), round(d.box.x2), round(d.box.y2)],
          })),
        }),
      );
    }
  } finally {
    await detector.dispose();
  }
}

export async function facesCommand(images: string[]): Promise<void> {
  if (images.length === 0) throw new Error('usage: faces <image...>');
  const engine = await FaceEngine.create();
  try {
    for (const path of images) {
      const frame = await decodeImage(path);
      const started = performance.now();
      const faces = await engine.analyze(frame);
      console.log(
        JSON.stringify({
          image: path,
          ms: round(performance.now() - started),
          faces: faces.map((f) => ({
            score: Math.round(f.score * 1000) / 1000,
            box: [round(f.box.x1), round(f.box.y1), round(f.box.x2), round(f.box.y2)],
            keypoints: f.keypoints ? Array.from(f.keypoints, round) : null,
            aligned: f.aligned,
            ...(f.alignSkipped ? { alignSkipped: f.alignSkipped } : {}),
            quality: Math.round(f.quality * 100) / 100,
            embeddingHead: Array.from(f.embedding.subarray(0, 4), (v) => Math.round(v * 1e4) / 1e4),
          })),
        }),
      );
    }
  } finally {
    await engine.dispose();
  }
}

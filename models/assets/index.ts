import { join } from 'node:path';
import { cacheDir } from '../../scripts/cache-dir';
import { ensureModelPackage } from './fetch-package';
import { FACEPLUGIN, HUMAN } from './sources';

export { MODEL_PACKAGES, type ModelPackage } from './sources';

export function modelsCacheDir(): string {
  return join(cacheDir(), 'models');
}

export interface FaceModelFiles {
  /** UltraFace-style RFB-320 detector, input 1x3x240x320. */
  detect: string;
  /** 68-point landmarks from a 64x64 grey crop. */
  landmark: string;
  /** 512-d embedder from a 112x112 aligned RGB face. */
  embed: string;
}

export function ensureFaceModels(): FaceModelFiles {
  const dir = ensureModelPackage(modelsCacheDir(), FACEPLUGIN);
  return {
    detect: join(dir, 'model/fr_detect.onnx'),
    landmark: join(dir, 'model/fr_landmark.onnx'),
    embed: join(dir, 'model/fr_feature.onnx'),
  };
}

export interface TfjsModelFiles {
  modelJson: string;
  weights: string;
}

/** The original TF.js CenterNet graph model (COCO-80, MobileNetV3) from @vladmandic/human. */
export function ensureCenternetTfjs(): TfjsModelFiles {
  const dir = ensureModelPackage(modelsCacheDir(), HUMAN);
  return { modelJson: join(dir, 'models/centernet.json'), weights: join(dir, 'models/centernet.bin') };
}

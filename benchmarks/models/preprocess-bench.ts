import { join } from 'node:path';
import sharp from 'sharp';
import { ensureFaceModels, modelsCacheDir } from '../../models/assets';
import { decodeImage } from '../../models/image';
import { wrapWithUint8Input } from '../../models/onnx/uint8-input';
import { loadSession, ort } from '../../models/runtime/session';
import { ensureMedia } from '../../scripts/media';
import { measure } from '../lib/timing';
import type { StageFigure } from './report';

const [W, H] = [320, 240];

/**
 * The two ways to feed a model, timed end to end on the face detector (sharp resize included in both):
 * a JavaScript loop writing normalised float NCHW, or uint8 NHWC with the normalisation in the graph.
 */
export async function benchPreprocessing(minMillis: number): Promise<StageFigure[]> {
  const frame = await decodeImage(ensureMedia(['astronaut.png'])['astronaut.png']);
  const raw = { raw: { width: frame.width, height: frame.height, channels: 3 as const } };
  const resize = () => sharp(frame.data, raw).resize(W, H, { kernel: 'linear', fit: 'fill' }).raw().toBuffer();
  const model = ensureFaceModels().detect;
  const float = (await loadSession(model, { intraOpThreads: 2, executionProviders: ['cpu'] })).session;
  const wrappedPath = wrapWithUint8Input(model, { offset: 127, scale: 1 / 128 }, join(modelsCacheDir(), 'wrapped')).path;
  const uint8 = (await loadSession(wrappedPath, { intraOpThreads: 2, executionProviders: ['cpu'] })).session;
  const input = new Float32Array(3 * W * H);
  const plane = W * H;
  const jsLoop = await measure(async () => {
    const px = await resize();
    for (let i = 0; i < plane; i++) {
      input[i] = (px[3 * i]! - 127) / 128;
      input[plane + i] = (px[3 * i + 1]! - 127) / 128;
      input[2 * plane + i] = (px[3 * i + 2]! - 127) / 128;
    }
    await float.run({ input: new ort.Tensor('float32', input, [1, 3, H, W]) });
  }, { minMillis });
  const bytes = new Uint8Array(3 * plane);
  const inGraph = await measure(async () => {
    bytes.set(await resize());
    await uint8.run({ [uint8.inputNames[0]!]: new ort.Tensor('uint8', bytes, [1, H, W, 3]) });
  }, { minMillis });
  await Promise.all([float.release(), uint8.release()]);
  return [
    { name: 'face detect input: sharp resize + JS normalise/transpose loop + float model', stats: jsLoop },
    { name: 'face detect input: sharp resize + uint8 model (normalise/transpose in graph)', stats: inGraph },
  ];
}

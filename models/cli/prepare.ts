import { ensureCenternetTfjs, ensureFaceModels } from '../assets';
import { ensureCenternetOnnx } from '../assets/centernet-onnx';

/** Fetches every default model and converts CenterNet, so the first detection is not slow. */
export async function prepareModels(): Promise<void> {
  const started = Date.now();
  const face = ensureFaceModels();
  const tfjs = ensureCenternetTfjs();
  const centernet = await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: true });
  // The gateway's person-only detector (class head cut to COCO id 0).
  const person = await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: true, classIds: [0] });
  console.log(`models ready in ${Date.now() - started} ms`);
  console.log(`  face detect   ${face.detect}`);
  console.log(`  face landmark ${face.landmark}`);
  console.log(`  face embed    ${face.embed}`);
  console.log(`  centernet     ${tfjs.modelJson} -> ${centernet}`);
  console.log(`  person only   ${person}`);
}

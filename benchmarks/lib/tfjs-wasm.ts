import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | undefined;

/** Switches TF.js to its WASM backend (what a JS user would run without native bindings). */
export function useTfjsWasm(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(`${join(dist, 'dist')}/`);
    await tf.setBackend('wasm');
    await tf.ready();
  })();
  return ready;
}

/** Loads a TF.js graph model (model.json + one weights file) from disk without fetch(). */
export async function loadTfjsGraphModel(modelJson: string, weights: string): Promise<tf.GraphModel> {
  await useTfjsWasm();
  const json = JSON.parse(readFileSync(modelJson, 'utf8')) as {
    modelTopology: tf.io.ModelArtifacts['modelTopology'];
    weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }>;
  };
  const buf = readFileSync(weights);
  const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  return tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}

export { tf };

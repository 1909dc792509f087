/**
 * Models CLI: `npm run models -- <command>`.
 *   prepare                         fetch model packages and convert CenterNet (run by postinstall)
 *   demo                            detect people and faces in the bundled real media (npm start)
 *   detect <image...> [--model F --labels F --threshold T --classes a,b]
 *   faces <image...>                detect faces, landmarks quality and embeddings
 *   convert <model.json> <out.onnx> [--uint8-input] [--dynamic-batch]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runDemo } from './cli/demo';
import { detectCommand, facesCommand } from './cli/inspect';
import { prepareModels } from './cli/prepare';
import { convertTfjsGraphModel } from './tfjs-onnx';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      labels: { type: 'string' },
      threshold: { type: 'string' },
      classes: { type: 'string' },
      'uint8-input': { type: 'boolean', default: false },
      'dynamic-batch': { type: 'boolean', default: false },
    },
  });
  switch (command) {
    case 'prepare':
      await prepareModels();
      return;
    case 'demo':
    case undefined:
      await runDemo();
      return;
    case 'detect':
      await detectCommand(positionals, values);
      return;
    case 'faces':
      await facesCommand(positionals);
      return;
    case 'convert': {
      const [source, target] = positionals;
      if (!source || !target) throw new Error('usage: convert <model.json> <out.onnx> [--uint8-input] [--dynamic-batch]');
      const bytes = await convertTfjsGraphModel(source, { uint8Input: values['uint8-input'], dynamicBatch: values['dynamic-batch'] });
      writeFileSync(target, bytes);
      console.log(`wrote ${target} (${bytes.length} bytes)`);
      return;
    }
    default:
      throw new Error(`unknown command '${command}'; commands: prepare, demo, detect, faces, convert`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});

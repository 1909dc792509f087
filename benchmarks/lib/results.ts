import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes benchmarks/results/<kind>-<date>-<host>.json and says where. */
export function writeResult(kind: string, result: { date: string; device: { host: string } }): string {
  const dir = join(import.meta.dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${kind}-${result.date.slice(0, 10)}-${result.device.host}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${file}`);
  return file;
}

/** Runs a benchmark's main, printing a failure and setting a non-zero exit code. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

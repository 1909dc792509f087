import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** True when the module at `url` is the script node/tsx was started with (its CLI), false when imported. */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && resolve(script) === fileURLToPath(url);
}

/** Where a benchmark reports what it is doing: one line per step. */
export type StepLog = (line: string) => void;

/** The first 16 hex digits of a file's SHA-256: which input (model, video) a result was measured on. */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
}

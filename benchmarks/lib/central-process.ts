import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'central-sync', 'server', 'main.ts');

export interface CentralProcess {
  url: string;
  child: ChildProcess;
  /** Log lines seen so far (pino JSON). */
  lines: string[];
  stop(): Promise<number | null>;
}

/** Runs main.ts as its own process, as `npm run central` does, and waits for its listening line. */
export function spawnCentral(env: Record<string, string>, timeoutMs = 30_000): Promise<CentralProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`central did not start within ${timeoutMs} ms:\n${lines.join('\n')}`));
    }, timeoutMs);
    child.stderr!.on('data', (d: Buffer) => lines.push(d.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'central server listening' && entry.url) {
          clearTimeout(timer);
          resolve({ url: entry.url, child, lines, stop });
        }
      } catch {
        // Not a log line.
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`central exited with ${code} before listening:\n${lines.join('\n')}`));
    });
  });
}

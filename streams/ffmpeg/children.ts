import type { ChildProcess } from 'node:child_process';

/**
 * Every ffmpeg (and simulator) child the process started, so none outlives it: on exit, whatever is
 * still running gets SIGKILL synchronously; `installShutdownHooks` adds SIGINT/SIGTERM handling.
 */
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllNow);
  }
}

export function liveChildren(): number {
  return children.size;
}

function killAllNow(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function terminate(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * On SIGINT/SIGTERM: run `onShutdown` (stop cameras cleanly), then make sure every child is gone and
 * exit with 128 + signal number. Call once from the service's entry point.
 */
export function installShutdownHooks(onShutdown: () => Promise<void> = async () => undefined, graceMs = 3000): void {
  const handler = (signal: NodeJS.Signals, code: number) => {
    const force = setTimeout(() => {
      killAllNow();
      process.exit(code);
    }, graceMs);
    force.unref();
    onShutdown()
      .catch(() => undefined)
      .then(() => Promise.all([...children].map((c) => terminate(c, 1000))))
      .finally(() => process.exit(code));
    void signal;
  };
  process.once('SIGINT', (s) => handler(s, 130));
  process.once('SIGTERM', (s) => handler(s, 143));
}

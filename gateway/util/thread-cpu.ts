import { readFileSync } from 'node:fs';

/**
 * Milliseconds of CPU the calling thread has run (Linux: /proc/thread-self/schedstat, nanoseconds),
 * or null where that file cannot be read. The kernel advances it at scheduler ticks and switches,
 * so one short stage may read 0 or a whole tick: it is for totals over many frames, not for one.
 */
export function threadCpuMs(): number | null {
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

/**
 * A clock of the calling thread's CPU (threadCpuMs), or wall time where there is none. A worker
 * times its detector with it, so a stage's figure is CPU the worker thread spent (with one ORT
 * thread, ORT computes on it), not the wall time the thread waited for a core while ffmpeg and the
 * other worker ran.
 */
export function threadCpuClock(): () => number {
  return threadCpuMs() === null ? () => performance.now() : () => threadCpuMs() ?? performance.now();
}

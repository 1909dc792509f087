import { readFileSync } from 'node:fs';

/**
 * Milliseconds of CPU the calling thread has run (Linux: /proc/thread-self/schedstat, nanoseconds),
 * or wall time where that file cannot be read. A worker times its detector with it, so a stage's
 * figure is CPU the worker thread spent (with one ORT thread, ORT computes on it), not the wall time
 * the thread waited for a core while ffmpeg and the other worker ran. The kernel advances it at
 * scheduler ticks and switches, so one short stage may read 0 or a whole tick: it is for totals
 * over many frames, not for one.
 */
export function threadCpuClock(): () => number {
  const read = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  try {
    if (Number.isFinite(read())) return read;
  } catch {
    // Not Linux, or /proc not mounted.
  }
  return () => performance.now();
}

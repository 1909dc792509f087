/**
 * CPU time of this process's main thread alone (Linux: /proc/self/task/<pid>/schedstat, nanoseconds
 * on a CPU), so the benchmark, which hosts the gateway, can tell the main thread's CPU from the rest
 * of the process (inference workers, ORT and libuv threads). Null where /proc is not there.
 */
import { readFileSync } from 'node:fs';

export function mainThreadCpuMs(): number | null {
  try {
    const ns = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

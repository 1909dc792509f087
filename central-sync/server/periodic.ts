export interface PeriodicJob<T> {
  runNow(): Promise<T>;
  /** Ends the schedule; waits for the run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `run` now and then every `intervalMs` after the previous run ended. Runs never overlap (a
 * runNow() waits for the one in progress); a failed scheduled run is reported and retried at the
 * next interval. `run` is told whether stop() was called, so a long run can end early.
 */
export function startPeriodic<T>(run: (stopped: () => boolean) => Promise<T>, intervalMs: number, onScheduledError: (err: unknown) => void): PeriodicJob<T> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  const runOnce = (): Promise<T> => {
    const next = chain.then(() => run(() => stopped));
    chain = next.catch(() => undefined);
    return next;
  };
  const scheduled = (): void => {
    timer = undefined;
    runOnce()
      .catch(onScheduledError)
      .finally(() => {
        if (!stopped) timer = setTimeout(scheduled, intervalMs).unref();
      });
  };
  timer = setTimeout(scheduled, 0).unref();
  return {
    runNow: runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Calls `purge(limit)` until it changes fewer than `limit` rows, letting waiting requests in between
 * batches (SQLite runs each one synchronously on the event loop). Stops before a batch once
 * `stopping()` says so. Answers the rows changed, the batches run and whether it was stopped.
 */
export async function purgeInBatches(purge: (limit: number) => Promise<number>, limit: number, stopping: () => boolean): Promise<{ rows: number; batches: number; stopped: boolean }> {
  let rows = 0;
  let batches = 0;
  for (;;) {
    if (stopping()) return { rows, batches, stopped: true };
    const n = await purge(limit);
    rows += n;
    batches += 1;
    await nextTurn();
    if (n < limit) return { rows, batches, stopped: false };
  }
}

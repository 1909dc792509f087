import { loadSession, ort, type ExecutionProvider } from '../../models/runtime/session';
import { measure, type TimingStats } from '../lib/timing';

export interface ModelCase {
  name: string;
  modelPath: string;
  /** Builds the feeds for one run of `batch` inputs. */
  feeds: (batch: number) => Record<string, ort.Tensor>;
  /** Batch sizes to try beyond 1 (only for models with a dynamic batch dimension). */
  batches: number[];
}

export interface BatchFigure extends TimingStats {
  batch: number;
  msPerInference: number;
  inferencesPerSecond: number;
}

export interface ThreadFigures {
  /** The execution provider the session really ran on (cpu when the asked-for one was unavailable). */
  provider?: ExecutionProvider;
  threads: number;
  batch1: BatchFigure;
  best: BatchFigure;
  all: BatchFigure[];
}

const round = (v: number): number => Math.round(v * 100) / 100;

/** `timing`: minimum milliseconds per batch size, or that with a minimum number of timed runs and of warm-up calls. */
export async function benchModel(c: ModelCase, threads: number, timing: number | { minMillis: number; minRuns?: number; warmup?: number }, provider: ExecutionProvider = 'cpu'): Promise<ThreadFigures> {
  const { minMillis, minRuns, warmup } = typeof timing === 'number' ? { minMillis: timing, minRuns: undefined, warmup: undefined } : timing;
  const loaded = await loadSession(c.modelPath, { intraOpThreads: threads, executionProviders: [provider] });
  const session = loaded.session;
  try {
    const all: BatchFigure[] = [];
    for (const batch of [1, ...c.batches]) {
      const feeds = c.feeds(batch);
      const stats = await measure(() => session.run(feeds), { minMillis, ...(minRuns !== undefined ? { minRuns } : {}), ...(warmup !== undefined ? { warmup } : {}) });
      all.push({
        ...stats,
        batch,
        msPerInference: round(stats.medianMs / batch),
        inferencesPerSecond: round((1000 * batch) / stats.medianMs),
      });
    }
    const best = all.reduce((a, b) => (b.inferencesPerSecond > a.inferencesPerSecond ? b : a));
    return { provider: loaded.provider, threads, batch1: all[0]!, best, all };
  } finally {
    await session.release();
  }
}

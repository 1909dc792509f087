import { loadSession, ort } from '../../models/runtime/session';
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
  threads: number;
  batch1: BatchFigure;
  best: BatchFigure;
  all: BatchFigure[];
}

const round = (v: number): number => Math.round(v * 100) / 100;

export async function benchModel(c: ModelCase, threads: number, minMillis: number): Promise<ThreadFigures> {
  const { session } = await loadSession(c.modelPath, { intraOpThreads: threads, executionProviders: ['cpu'] });
  try {
    const all: BatchFigure[] = [];
    for (const batch of [1, ...c.batches]) {
      const feeds = c.feeds(batch);
      const stats = await measure(() => session.run(feeds), { minMillis });
      all.push({
        ...stats,
        batch,
        msPerInference: round(stats.medianMs / batch),
        inferencesPerSecond: round((1000 * batch) / stats.medianMs),
      });
    }
    const best = all.reduce((a, b) => (b.inferencesPerSecond > a.inferencesPerSecond ? b : a));
    return { threads, batch1: all[0]!, best, all };
  } finally {
    await session.release();
  }
}

import { describe, expect, it } from 'vitest';
import { chooseBatch, threadLayout } from '../inference';

describe('inference thread layout', () => {
  it('gives each core a single-threaded worker up to 4 workers, then more threads per worker', () => {
    expect([1, 2, 3, 4, 8, 16].map((cores) => threadLayout(cores))).toEqual([
      { workers: 1, threadsPerWorker: 1 },
      { workers: 2, threadsPerWorker: 1 },
      { workers: 3, threadsPerWorker: 1 },
      { workers: 4, threadsPerWorker: 1 },
      { workers: 4, threadsPerWorker: 2 },
      { workers: 4, threadsPerWorker: 4 },
    ]);
  });

  it('takes the configured workers and threads where set, and derives the other from the cores', () => {
    expect(threadLayout(8, { workers: 2 })).toEqual({ workers: 2, threadsPerWorker: 4 });
    expect(threadLayout(8, { threadsPerWorker: 1 })).toEqual({ workers: 4, threadsPerWorker: 1 });
    expect(threadLayout(2, { workers: 1, threadsPerWorker: 0 })).toEqual({ workers: 1, threadsPerWorker: 0 });
    expect(threadLayout(0)).toEqual({ workers: 1, threadsPerWorker: 1 });
  });
});

describe('batch from the measured curve', () => {
  it('picks the fastest batch per frame, a bigger one only when it beats the smaller by 5%', () => {
    // This VM, 2 workers x 1 thread: batch 1 fastest.
    expect(chooseBatch([{ batch: 1, msPerFrame: 20.9 }, { batch: 2, msPerFrame: 22.5 }, { batch: 4, msPerFrame: 23.5 }])).toBe(1);
    // A GPU-like curve: batching pays.
    expect(chooseBatch([{ batch: 1, msPerFrame: 4 }, { batch: 2, msPerFrame: 2.4 }, { batch: 4, msPerFrame: 1.5 }])).toBe(4);
    // 2% better is not worth the wait.
    expect(chooseBatch([{ batch: 1, msPerFrame: 10 }, { batch: 2, msPerFrame: 9.8 }])).toBe(1);
    expect(chooseBatch([{ batch: 4, msPerFrame: 5 }, { batch: 1, msPerFrame: 10 }])).toBe(4);
    expect(chooseBatch([])).toBe(1);
  });
});

import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsLog, setModelsLogger } from '../../models';
import { videoFrame } from '../../test-helpers/media';
import { InferencePool, type PoolFrame } from '../inference';

let pool: InferencePool;
let frame0: PoolFrame;
let frame300: PoolFrame;

beforeAll(async () => {
  pool = await InferencePool.create({ workers: 1, detector: { kind: 'centernet', classes: ['person'], session: { intraOpThreads: 2 } }, maxBatch: 4, maxAgeMs: 5000 });
  const f0 = videoFrame('vtest.avi', 0);
  const f300 = videoFrame('vtest.avi', 300);
  frame0 = { ...f0, capturedAt: Date.now() };
  frame300 = { ...f300, capturedAt: Date.now() };
});
afterAll(() => pool?.close());

/** A frame of its own: submit() moves the buffer to the worker (and back into the frame given). */
const fresh = (f: PoolFrame): PoolFrame => ({ ...f, data: new Uint8Array(f.data), capturedAt: Date.now() });

describe('inference pool (worker threads)', () => {
  it('detects people off the main thread and batches frames from different cameras', async () => {
    const first = pool.submit('warm', fresh(frame0));
    const results = await Promise.all([pool.submit('a', fresh(frame0)), pool.submit('b', fresh(frame300)), pool.submit('c', fresh(frame300))]);
    expect((await first)!.filter((d) => d.score >= 0.45)).toHaveLength(3);
    expect(results[0]!.filter((d) => d.score >= 0.45)).toHaveLength(3);
    expect(results[1]!.filter((d) => d.score >= 0.45).length).toBeGreaterThanOrEqual(5);
    const stats = pool.snapshot();
    console.info(JSON.stringify(stats));
    expect(Object.keys(stats.batchSizes).map(Number).some((size) => size >= 2)).toBe(true);
    expect(stats.completed).toBe(4);
  });

  it('keeps one waiting frame per camera (newest wins) and serves cameras round-robin', async () => {
    const busy = pool.submit('busy', fresh(frame0));
    const replaced = pool.submit('flood', fresh(frame0));
    const newest = pool.submit('flood', fresh(frame0));
    const other = pool.submit('quiet', fresh(frame300));
    expect(await replaced).toBeNull();
    expect(await newest).not.toBeNull();
    expect(await other).not.toBeNull();
    await busy;
    expect(pool.snapshot().droppedReplaced).toBeGreaterThanOrEqual(1);
  });

  it('drops frames older than maxAgeMs instead of detecting them late', async () => {
    const before = pool.snapshot().droppedStale;
    const busy = pool.submit('x', fresh(frame0));
    const stale = pool.submit('old', { ...fresh(frame0), capturedAt: Date.now() - 60_000 });
    expect(await stale).toBeNull();
    await busy;
    expect(pool.snapshot().droppedStale).toBe(before + 1);
  });
});

describe('frames cross to the worker without a copy', () => {
  it('moves a frame buffer to the worker and back into the frame, bytes intact', async () => {
    const frame = fresh(frame0);
    const original = frame.data;
    const bytes = Buffer.from(original).toString('base64');
    const detections = await pool.submit('moved', frame);
    expect(detections!.filter((d) => d.score >= 0.45)).toHaveLength(3);
    expect(original.byteLength).toBe(0); // the buffer given was moved, not copied
    expect(frame.data === original).toBe(false);
    expect(Buffer.from(frame.data).toString('base64')).toBe(bytes);
    const stage = pool.snapshot().stageMs;
    // A 40 ms inference spans scheduler ticks; a sub-millisecond postMessage may read 0 on the
    // thread CPU clock (it advances at ticks and switches), so only the inference is checked here.
    expect(stage.inferenceMs).toBeGreaterThan(0);
  });

  it('rejects a frame whose buffer was already moved instead of hanging', async () => {
    const frame = fresh(frame0);
    const moved = frame.data;
    await pool.submit('twice', frame);
    await expect(pool.submit('twice', { ...frame, data: moved, capturedAt: Date.now() })).rejects.toThrow(/detached/);
    // The worker is still serving.
    expect(await pool.submit('after', fresh(frame300))).not.toBeNull();
  });

  it('measures the batch curve and keeps to the batch chosen from it', async () => {
    const curve = await pool.calibrate([1, 2]);
    expect(curve.map((p) => p.batch)).toEqual([1, 2]);
    for (const p of curve) expect(p.msPerFrame).toBeGreaterThan(0);
    pool.useBatch(1);
    const before = pool.snapshot().batchSizes;
    await Promise.all(['p', 'q', 'r'].map((camera) => pool.submit(camera, fresh(frame300))));
    const after = pool.snapshot().batchSizes;
    expect(after[1]! - (before[1] ?? 0)).toBe(3);
    expect(pool.snapshot().layout.maxBatch).toBe(1);
  });
});

describe('inference worker logs', () => {
  it("go through the main thread's models logger, not the worker's own stdout", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const previous = modelsLog;
    setModelsLogger(pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }));
    try {
      // cuda is tried first and, on a machine without its provider library, falls back with a warning.
      const logging = await InferencePool.create({ workers: 1, detector: { kind: 'centernet', classes: ['person'], session: { executionProviders: ['cuda', 'cpu'], intraOpThreads: 1 } }, maxBatch: 1, maxAgeMs: 5000 });
      await logging.close();
      const relayed = lines.filter((l) => l.thread === 'worker');
      if (logging.provider === 'cuda') expect(relayed.some((l) => /cuda/.test(String(l.msg)))).toBe(false);
      else expect(relayed).toContainEqual(expect.objectContaining({ level: 40, provider: 'cuda', msg: "execution provider 'cuda' unavailable, falling back to cpu" }));
    } finally {
      setModelsLogger(previous);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../test-helpers/processes';
import { JUDGEMENTS } from '../client/isolation';
import type { SyncRecord } from '../wire';
import { event } from './client-memory-outbox';
import { drained, useUplinkHarness } from './helpers/uplink-harness';

const harness = useUplinkHarness();
const poisoned = (r: SyncRecord) => r.kind === 'event' && r.payload.data.poison === true;

describe('uplink isolation of a batch central keeps failing with 5xx', () => {
  it('delivers the records around one that central answers 500 for, and dead-letters and counts that one', async () => {
    const { central, outbox, uplink, logs } = await harness({ batchRecords: 50 });
    central.serverError = poisoned;
    const seqs = Array.from({ length: 20 }, (_, i) => outbox.add('event', 1, event('low', i === 7 ? { poison: true } : { i })));
    uplink.start();
    expect(await drained(outbox, 15_000)).toBe(true);
    const poison = seqs[7]!;
    expect(central.arrivals.map((r) => r.seq).sort((a, b) => a - b)).toEqual(seqs.filter((s) => s !== poison));
    expect([...outbox.deadLetters.keys()]).toEqual([poison]);
    expect(outbox.deadLetters.get(poison)).toMatch(/central answered 500 for this record alone/);
    expect(uplink.status()).toMatchObject({ deadLettered: 1, sent: 19 });
    // It was judged alone, after central had accepted other records.
    expect(central.failedBatches.filter((b) => b.length === 1 && b[0] === poison).length).toBeGreaterThanOrEqual(3);
    expect(logs.some((l) => l.level === 'error' && (l.obj as { seq?: number }).seq === poison)).toBe(true);
  });

  it('isolates two adjacent poison records, and delivers those that were set aside while central was failing', async () => {
    const { central, outbox, uplink } = await harness({ batchRecords: 8 });
    central.serverError = poisoned;
    const seqs = Array.from({ length: 12 }, (_, i) => outbox.add('event', 1, event('low', i === 0 || i === 1 ? { poison: true } : { i })));
    uplink.start();
    expect(await drained(outbox, 20_000)).toBe(true);
    expect([...outbox.deadLetters.keys()].sort((a, b) => a - b)).toEqual(seqs.slice(0, 2));
    expect(central.arrivals.map((r) => r.seq).sort((a, b) => a - b)).toEqual(seqs.slice(2));
    expect(uplink.status().deadLettered).toBe(2);
  });

  it.each([500, 503])('dead-letters nothing while central answers %i to everything, and delivers it all once central recovers', async (status) => {
    const { central, outbox, uplink } = await harness({ batchRecords: 8 });
    central.ingestStatus = status;
    for (let i = 0; i < 12; i++) outbox.add('event', 1, event('low', { i }));
    uplink.start();
    // Long enough for many more failures than isolation needs (20..200 ms backoff).
    await sleep(2500);
    expect(outbox.deadLetters.size).toBe(0);
    expect(outbox.rows).toHaveLength(12);
    expect(uplink.status().lastError).toMatch(new RegExp(`central answered ${status}`));
    central.ingestStatus = undefined;
    expect(await drained(outbox, 10_000)).toBe(true);
    expect(central.arrivals).toHaveLength(12);
    expect(uplink.status()).toMatchObject({ deadLettered: 0, sent: 12 });
  });

  it('keeps a lone record central fails until other records prove central healthy, and judges it after each', async () => {
    const { central, outbox, uplink } = await harness();
    central.serverError = poisoned;
    const poison = outbox.add('event', 1, event('high', { poison: true }));
    uplink.start();
    expect(await waitFor(() => central.failedBatches.length >= 6, 5000, 10)).toBe(true);
    // Nothing waits behind it and nothing shows central could store anything: keep it.
    expect(outbox.deadLetters.size).toBe(0);
    expect(outbox.rows.map((r) => r.seq)).toEqual([poison]);
    const good: number[] = [];
    for (let judged = 1; judged <= JUDGEMENTS; judged++) {
      expect(outbox.deadLetters.size, `before acceptance ${judged}`).toBe(0);
      good.push(outbox.add('event', 1, event('low')));
      const failedBefore = central.failedBatches.length;
      // Stored, then the poison is tried alone right after it.
      expect(await waitFor(() => central.arrivals.length === judged && central.failedBatches.length > failedBefore, 5000, 5)).toBe(true);
    }
    expect(await drained(outbox, 5000)).toBe(true);
    expect(central.arrivals.map((r) => r.seq)).toEqual(good);
    expect([...outbox.deadLetters.keys()]).toEqual([poison]);
  });
});

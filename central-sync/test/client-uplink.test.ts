import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../test-helpers/processes';
import { FullJitterBackoff } from '../client';
import { cameraHealth, event, queueStat } from './client-memory-outbox';
import { drained, useUplinkHarness } from './helpers/uplink-harness';

const harness = useUplinkHarness();

describe('uplink delivery', () => {
  it('delivers a backlog gzip-signed in batches, by priority then seq, and acks exactly what was stored', async () => {
    const { central, outbox, uplink } = await harness({ batchRecords: 7 });
    const priorities = [3, 1, 2, 0, 1, 3, 0, 2, 1, 1];
    for (let i = 0; i < 40; i++) {
      const p = priorities[i % priorities.length]!;
      if (p === 3) outbox.add('queue_stat', 3, queueStat(29_000_000 + i));
      else if (p === 2) outbox.add('camera_health', 2, cameraHealth('streaming'));
      else outbox.add('event', p, event(p === 0 ? 'high' : 'low'));
    }
    const expected = [...outbox.rows].sort((a, b) => a.priority - b.priority || a.seq - b.seq).map((r) => r.seq);
    uplink.start();
    expect(await drained(outbox)).toBe(true);
    expect(central.arrivals.map((r) => r.seq)).toEqual(expected);
    expect(central.batches.every((b) => b.length <= 7)).toBe(true);
    expect(central.gzipped).toBe(central.batches.length);
    expect(central.duplicates).toBe(0);
    expect(uplink.status()).toMatchObject({ connected: true, sent: 40, deadLettered: 0, lastError: null, gatewayId: 'gw-test' });
  });

  it('lets a new high-priority record overtake a low-priority backlog, but never reorders equal priorities', async () => {
    const { central, outbox, uplink } = await harness({ batchRecords: 5 });
    for (let i = 0; i < 30; i++) outbox.add('queue_stat', 3, queueStat(29_000_000 + i));
    central.hang = true;
    uplink.start();
    await waitFor(() => outbox.peeks.length > 0, 2000, 5);
    const urgent = outbox.add('event', 0, event('high', {}, 'watchlist_match'));
    const update = outbox.add('event_update', 0, { uid: 'ev-x', at: Date.now(), phase: 'end', data: {} });
    central.hang = false;
    await central.stop();
    await central.restart();
    expect(await drained(outbox)).toBe(true);
    const order = central.arrivals.map((r) => r.seq);
    expect(order.indexOf(urgent)).toBeLessThan(order.indexOf(30));
    expect(order.indexOf(urgent)).toBeLessThan(order.indexOf(update));
    const stats = order.filter((s) => s <= 30);
    expect(stats).toEqual([...stats].sort((a, b) => a - b));
  });

  it('stores each record once when the server stores a batch but the connection is cut before the answer', async () => {
    const { central, outbox, uplink, logs } = await harness({ batchRecords: 10 });
    for (let i = 0; i < 25; i++) outbox.add('event', 1, event('medium'));
    central.cutAfterStore = 2;
    uplink.start();
    expect(await drained(outbox)).toBe(true);
    expect(central.arrivals).toHaveLength(25);
    expect(new Set(central.arrivals.map((r) => r.seq)).size).toBe(25);
    expect(central.duplicates).toBeGreaterThanOrEqual(10);
    expect(central.batches.length).toBeGreaterThanOrEqual(5);
    expect(logs.some((l) => l.msg.includes('backing off'))).toBe(true);
    expect(uplink.status().sent).toBe(25);
  });

  it('backs off (growing, capped, jittered) while the server is down and catches up when it comes back', async () => {
    const { central, outbox, uplink, logs } = await harness({ backoff: { baseMs: 20, capMs: 160, minMs: 5 } });
    await central.stop();
    for (let i = 0; i < 30; i++) outbox.add('event', 1, event('low'));
    uplink.start();
    await sleep(1000);
    const failures = logs.filter((l) => l.msg.includes('backing off')).map((l) => l.obj as { attempt: number; retryInMs: number; error: string });
    // Without backoff a refused connection would be retried thousands of times a second.
    expect(failures.length).toBeGreaterThan(3);
    expect(failures.length).toBeLessThan(60);
    expect(failures.map((f) => f.attempt)).toEqual(failures.map((_, i) => i + 1));
    expect(failures.every((f) => f.retryInMs <= 160)).toBe(true);
    expect(failures[0]!.error).toMatch(/ECONNREFUSED|fetch failed/);
    expect(uplink.status()).toMatchObject({ connected: false, sent: 0 });
    expect(uplink.status().lastError).toMatch(/ECONNREFUSED|fetch failed/);
    expect(outbox.rows).toHaveLength(30);

    await central.restart();
    expect(await drained(outbox)).toBe(true);
    expect(central.arrivals).toHaveLength(30);
    expect(uplink.status()).toMatchObject({ connected: true, sent: 30 });
    expect(uplink.status().lastSuccessAt).toBeGreaterThan(Date.now() - 5000);
    expect(logs.some((l) => l.msg === 'central sync delivering again')).toBe(true);
  });

  it('times out a request the server never answers and resends the batch', async () => {
    const { central, outbox, uplink } = await harness({ timeoutMs: 300 });
    for (let i = 0; i < 5; i++) outbox.add('event', 1, event('low'));
    central.hang = true;
    uplink.start();
    expect(await waitFor(() => /no answer within 300 ms/.test(uplink.status().lastError ?? ''), 3000, 10)).toBe(true);
    expect(outbox.rows).toHaveLength(5);
    central.hang = false;
    expect(await drained(outbox)).toBe(true);
    expect(central.arrivals).toHaveLength(5);
  });
});

describe('uplink clock, refusals and limits', () => {
  it('is accepted with a gateway clock 10 minutes slow, after one 401 that carries serverTime', async () => {
    const { central, outbox, uplink } = await harness({ clock: () => Date.now() - 600_000 });
    for (let i = 0; i < 5; i++) outbox.add('event', 1, event('low'));
    uplink.start();
    expect(await drained(outbox)).toBe(true);
    // The first batch and the first heartbeat leave together, so each may meet one 401; never more.
    expect(central.unauthorized).toBeGreaterThanOrEqual(1);
    expect(central.unauthorized).toBeLessThanOrEqual(2);
    expect(central.arrivals).toHaveLength(5);
    expect(Math.abs(uplink.status().clockOffsetMs - 600_000)).toBeLessThan(1000);
  });

  it('dead-letters the one record the server refuses (or the schema rejects) and delivers the rest', async () => {
    const { central, outbox, uplink, logs } = await harness();
    central.reject = (r) => (r.kind === 'event' && r.payload.data.poison ? 'payload.data.poison is not allowed' : undefined);
    const seqs = Array.from({ length: 10 }, (_, i) => outbox.add('event', 1, event('low', i === 4 ? { poison: true } : {})));
    const malformed = outbox.add('event', 1, { ...event('low'), severity: 'extreme' });
    uplink.start();
    expect(await drained(outbox)).toBe(true);
    expect(central.arrivals.map((r) => r.seq)).toEqual(seqs.filter((_, i) => i !== 4));
    expect(outbox.deadLetters.get(seqs[4]!)).toMatch(/central refused: payload\.data\.poison/);
    expect(outbox.deadLetters.get(malformed)).toMatch(/local schema check: records?.*severity|payload\.severity/);
    expect(uplink.status().deadLettered).toBe(2);
    const refused = logs.find((l) => l.level === 'error' && (l.obj as { seq?: number }).seq === seqs[4]);
    expect(refused?.obj).toMatchObject({ record: 4, field: 'records[4].payload', kind: 'event' });
  });

  it('backs off on a 400 that names no record (the batch as a whole is refused), dead-lettering nothing', async () => {
    const { central, outbox, uplink } = await harness();
    central.ingestStatus = 400;
    for (let i = 0; i < 4; i++) outbox.add('event', 1, event('low'));
    uplink.start();
    expect(await waitFor(() => /central answered 400: version: unsupported/.test(uplink.status().lastError ?? ''), 3000, 10)).toBe(true);
    await sleep(200);
    expect(outbox.deadLetters.size).toBe(0);
    expect(outbox.rows).toHaveLength(4);
    central.ingestStatus = undefined;
    expect(await drained(outbox)).toBe(true);
  });

  it('backs off on 401 without serverTime (revoked credentials) and shows why, acking nothing', async () => {
    const { central, outbox, uplink } = await harness();
    central.revoked = true;
    for (let i = 0; i < 3; i++) outbox.add('event', 1, event('low'));
    uplink.start();
    expect(await waitFor(() => /401: credentials revoked/.test(uplink.status().lastError ?? ''), 3000, 10)).toBe(true);
    await sleep(300);
    expect(outbox.rows).toHaveLength(3);
    expect(central.arrivals).toHaveLength(0);
    expect(uplink.status().connected).toBe(false);
    // Backoff, not a tight loop: 300 ms at 20..200 ms per attempt.
    expect(central.unauthorized).toBeLessThan(40);
  });

  it('keeps batches under the byte limit, and dead-letters a single record too large to ever send', async () => {
    const { central, outbox, uplink } = await harness({ batchBytes: 2000 });
    for (let i = 0; i < 12; i++) outbox.add('event', 1, event('low', { note: 'x'.repeat(450) }));
    const huge = outbox.add('event', 1, event('low', { blob: randomBytes(4.5 * 2 ** 20).toString('base64') }));
    uplink.start();
    expect(await drained(outbox, 10_000)).toBe(true);
    expect(central.arrivals).toHaveLength(12);
    expect(Math.max(...central.batches.map((b) => b.length))).toBeLessThanOrEqual(4);
    expect(outbox.deadLetters.get(huge)).toMatch(/bytes gzip'd, over 4194304/);
  });

  it('sends heartbeats with camera states, backlog, oldest unsent record and drops', async () => {
    const cameras = [{ id: 'cam1', state: 'streaming', reason: null }, { id: 'cam2', state: 'reconnecting', reason: 'connection_refused' }];
    const { central, outbox, uplink } = await harness({ heartbeatMs: 100, cameras: () => cameras });
    central.ingestStatus = 503;
    const oldest = Date.now() - 120_000;
    outbox.add('event', 1, event('low'), oldest);
    outbox.add('event', 1, event('low'));
    outbox.dropped = 7;
    uplink.start();
    expect(await waitFor(() => central.heartbeats.length >= 2, 3000, 10)).toBe(true);
    expect(central.heartbeats[1]).toMatchObject({ gatewayId: 'gw-test', cameras, backlog: 2, oldestUnsentAt: oldest, dropped: 7 });
    expect(Math.abs(central.heartbeats[1]!.at - Date.now())).toBeLessThan(2000);
    expect(uplink.status().lastError).toMatch(/central answered 503/);
  });

  it('stops without losing what was in flight', async () => {
    const { central, outbox, uplink } = await harness();
    for (let i = 0; i < 5; i++) outbox.add('event', 1, event('low'));
    central.hang = true;
    uplink.start();
    await waitFor(() => outbox.peeks.length > 0, 2000, 5);
    await sleep(50);
    const started = Date.now();
    await uplink.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(outbox.rows).toHaveLength(5);
    expect(uplink.status()).toMatchObject({ state: 'stopped', connected: false });
  });
});

describe('full-jitter backoff', () => {
  it('doubles its ceiling per failure up to the cap, never goes below the floor, and resets', () => {
    const top = new FullJitterBackoff({ baseMs: 1000, capMs: 60_000, random: () => 0.999999 });
    expect(Array.from({ length: 8 }, () => top.next())).toEqual([999, 1999, 3999, 7999, 15999, 31999, 59999, 59999]);
    top.reset();
    expect(top.next()).toBe(999);
    const bottom = new FullJitterBackoff({ baseMs: 1000, capMs: 60_000, random: () => 0 });
    expect(bottom.next()).toBe(100);
  });
});

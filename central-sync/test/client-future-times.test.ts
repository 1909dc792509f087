import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../test-helpers/processes';
import { event } from './client-memory-outbox';
import { drained, useUplinkHarness } from './helpers/uplink-harness';

const harness = useUplinkHarness();
const TEN_MINUTES = 600_000;

/**
 * Central refuses record times later than its clock plus the allowed skew (5 min). Records carry the
 * gateway's clock: a gateway running ahead must hold its newest records, not lose them, while a
 * record dated beyond even the gateway's own clock is poison: central refuses it, it is dead-lettered.
 */
describe('uplink and record times central refuses as future', () => {
  it('holds records a gateway clock 10 minutes fast dates ahead of central, losing none, and delivers them once central catches up', async () => {
    const gatewayNow = () => Date.now() + TEN_MINUTES;
    // Heartbeats every 200 ms: they keep the learnt clock offset current while records are held.
    const { central, outbox, uplink } = await harness({ clock: gatewayNow, heartbeatMs: 200 });
    const past = Array.from({ length: 3 }, () => outbox.add('event', 1, { ...event('low'), at: Date.now() - 60_000 }, Date.now() - 60_000));
    const ahead = Array.from({ length: 4 }, () => {
      const at = gatewayNow();
      return outbox.add('event', 1, { ...event('low'), at }, at);
    });
    uplink.start();
    expect(await waitFor(() => central.arrivals.length === 3 && /ahead of central/.test(uplink.status().lastError ?? ''), 5000, 10)).toBe(true);
    await sleep(300);
    expect(central.arrivals.map((r) => r.seq)).toEqual(past);
    expect(outbox.deadLetters.size).toBe(0);
    expect(outbox.rows.map((r) => r.seq)).toEqual(ahead);
    // The heartbeat, re-made after the first 401 taught the offset, carries central's time.
    expect(await waitFor(() => central.heartbeats.length >= 1, 3000, 10)).toBe(true);
    expect(Math.abs(central.heartbeats[0]!.at - Date.now())).toBeLessThan(5000);

    // Central's clock moves 10 minutes on (as real time would): the held records go.
    central.clockOffsetMs = TEN_MINUTES;
    expect(await drained(outbox, 5000)).toBe(true);
    expect(central.arrivals.map((r) => r.seq)).toEqual([...past, ...ahead]);
    expect(uplink.status()).toMatchObject({ deadLettered: 0, sent: 7 });
  });

  it('dead-letters a record dated beyond the gateway clock itself (2^53-1), which central refuses, and delivers the rest in order', async () => {
    const { central, outbox, uplink } = await harness();
    const before = outbox.add('event', 1, event('low'));
    const poison = outbox.add('event', 1, { ...event('high'), at: Number.MAX_SAFE_INTEGER });
    const after = outbox.add('event', 1, event('low'));
    uplink.start();
    expect(await drained(outbox)).toBe(true);
    expect(central.arrivals.map((r) => r.seq)).toEqual([before, after]);
    expect(outbox.deadLetters.get(poison)).toMatch(/central refused: records\[1\]\.payload\.at: later than the server clock allows/);
    expect(uplink.status().deadLettered).toBe(1);
  });
});

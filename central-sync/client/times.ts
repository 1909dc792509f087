import { latestAcceptedTime, LIMITS, recordTimes, timeBeyond, type SyncRecord } from '../wire';
import type { ServerClock } from './clock';

export interface ScreenedTimes {
  /** The records to send now: those before the first held one. */
  send: SyncRecord[];
  /** Why the first record not sent waits, when one does. */
  held?: string;
}

/**
 * Central refuses times later than its clock plus LIMITS.maxClockSkewMs, and records carry the
 * gateway's clock. A record beyond central's clock (local plus the learnt offset) but not beyond the
 * gateway's own means the gateway clock runs ahead of central: that record and everything after it
 * (order is kept) wait until central's clock catches up, which it does as time passes; nothing is
 * lost. A record beyond both clocks is sent: no clock offset explains it, central refuses it naming
 * the field, and the uplink dead-letters it (2^53-1 must not block the outbox).
 */
export function screenTimes(records: readonly SyncRecord[], clock: ServerClock): ScreenedTimes {
  const own = latestAcceptedTime(clock.local());
  const central = latestAcceptedTime(clock.now());
  for (const [i, r] of records.entries()) {
    const late = timeBeyond(r, central);
    if (late && !timeBeyond(r, own)) return { send: records.slice(0, i), held: heldReason(clock, r.seq, late.field) };
  }
  return { send: [...records] };
}

/** Central refused `record` (at index `index`) for the time named by `field`, and the gateway's own clock says that time is not in the future. */
export function refusedForClock(record: SyncRecord, index: number, field: string | undefined, clock: ServerClock): boolean {
  const named = recordTimes(record).some((t) => `records[${index}].${t.field}` === field);
  return named && timeBeyond(record, latestAcceptedTime(clock.local())) === undefined;
}

export function heldReason(clock: ServerClock, seq: number, field: string): string {
  return `the gateway clock is ${Math.round(-clock.offsetMs / 1000)} s ahead of central: seq ${seq} (${field}) waits until central's clock is within ${LIMITS.maxClockSkewMs / 1000} s of it`;
}

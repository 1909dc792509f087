import { latestAcceptedTime, LIMITS, timeBeyond, type SyncRecord } from '../../wire';
import { HttpError } from '../http/errors';

/**
 * A time later than the server clock plus the allowed skew would sort first forever and never be
 * purged (and a future camera-health time would pin the fleet view): 400 naming the first one.
 */
export function refuseFutureTimes(records: readonly SyncRecord[], now: number): void {
  const limit = latestAcceptedTime(now);
  for (const [i, r] of records.entries()) {
    const late = timeBeyond(r, limit);
    if (late) throw new HttpError(400, `records[${i}].${late.field}: ${late.at} is later than the server clock allows (serverTime + ${LIMITS.maxClockSkewMs} ms)`, `records[${i}].${late.field}`, i);
  }
}

/** The heartbeat's time sets camera-health times: the same bound. */
export function refuseFutureHeartbeat(at: number, now: number): void {
  if (at > latestAcceptedTime(now)) throw new HttpError(400, `at: ${at} is later than the server clock allows (serverTime + ${LIMITS.maxClockSkewMs} ms)`, 'at');
}

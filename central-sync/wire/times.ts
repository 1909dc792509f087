import { LIMITS, type SyncRecord } from './schema';

export interface RecordTime {
  /** Path in the record, as error answers name it after `records[i].`. */
  field: string;
  at: number;
}

/** Every time a record carries: central refuses any later than its clock plus LIMITS.maxClockSkewMs. */
export function recordTimes(r: SyncRecord): RecordTime[] {
  return [{ field: 'at', at: r.at }, r.kind === 'queue_stat' ? { field: 'payload.minute', at: r.payload.minute } : { field: 'payload.at', at: r.payload.at }];
}

/** The latest time central takes when its clock reads `serverNow`: the skew the signature allows. */
export const latestAcceptedTime = (serverNow: number): number => serverNow + LIMITS.maxClockSkewMs;

/** The first time of `r` later than `limit`, or undefined. */
export function timeBeyond(r: SyncRecord, limit: number): RecordTime | undefined {
  return recordTimes(r).find((t) => t.at > limit);
}

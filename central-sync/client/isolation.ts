import type { SyncRecord } from '../wire';

/** Consecutive server failures of one batch before it is halved. */
export const SPLIT_AFTER = 2;
/** Consecutive server failures of one record sent alone before it is set aside. */
export const SET_ASIDE_AFTER = 2;
/** Failures alone, each right after central stored other records, that dead-letter a set-aside record. */
export const JUDGEMENTS = 3;
/** More records than this failing alone means central is failing, not a few records: stop setting aside. */
export const MAX_SET_ASIDE = 16;

/**
 * A 5xx that says central took the batch and failed on it (500, 501, 505 and up). 502, 503 and 504
 * say central or its proxy is unavailable; like a refused or timed-out connection they never count.
 */
export function isServerFailure(status: number): boolean {
  return status >= 500 && status <= 599 && status !== 502 && status !== 503 && status !== 504;
}

export type FailureAction = 'retry' | 'split' | 'set-aside' | 'dead-letter';

interface Suspect {
  record: SyncRecord;
  /** Central stored another batch since this record last failed, and nothing has failed since. */
  centralAccepted: boolean;
  /** Failures alone right after such an acceptance. */
  judged: number;
}

/**
 * Finds the record a batch keeps failing on with 5xx, without ever dead-lettering because central
 * is down. The rule:
 * 1. Only server failures count (see isServerFailure); a network error or 502/503/504 counts nothing
 *    and cancels any evidence gathered so far.
 * 2. A batch of several records failing SPLIT_AFTER times in a row is halved (no record is lost by
 *    sending smaller batches). Once batches go through again their size doubles back.
 * 3. A record failing alone SET_ASIDE_AFTER times in a row is set aside (kept in the outbox, left out
 *    of batches, at most MAX_SET_ASIDE at once) so that the records behind it flow.
 * 4. Each time central then stores another batch, each set-aside record is sent alone again at once:
 *    stored, it is done (central had been failing for everything); a server failure right after
 *    central stored other records is a judgement against it, and the JUDGEMENTS-th dead-letters it.
 *    By then it has failed SET_ASIDE_AFTER + JUDGEMENTS times in a row, never once stored, while
 *    central stored other records in between. Without acceptances a set-aside record is only retried,
 *    never dead-lettered: central down or failing everything dead-letters nothing, and an outbox
 *    holding nothing else keeps its record.
 */
export class PoisonIsolation {
  private batchKey = '';
  private batchFailures = 0;
  private readonly suspects = new Map<number, Suspect>();

  /** Seqs to leave out of batches. */
  get setAside(): ReadonlySet<number> {
    return new Set(this.suspects.keys());
  }

  /** A set-aside record to resend alone now, judged by the answer; undefined when none is due. */
  due(): SyncRecord | undefined {
    for (const s of this.suspects.values()) if (s.centralAccepted) return s.record;
    return undefined;
  }

  /** Any set-aside record: tried alone when nothing else is left to send. */
  any(): SyncRecord | undefined {
    return this.suspects.values().next().value?.record;
  }

  /** Central stored these records. */
  accepted(records: readonly SyncRecord[]): void {
    this.resetBatch();
    for (const r of records) this.suspects.delete(r.seq);
    for (const s of this.suspects.values()) s.centralAccepted = true;
  }

  /** The record left the outbox (dead-lettered). */
  forget(seq: number): void {
    this.suspects.delete(seq);
  }

  /** No answer, or one that says central is unavailable: the evidence so far is stale. */
  interrupted(): void {
    for (const s of this.suspects.values()) s.centralAccepted = false;
  }

  /** Central answered a server failure (isServerFailure) for this batch: what to do next. */
  failed(records: readonly SyncRecord[]): FailureAction {
    const only = records.length === 1 ? records[0]! : undefined;
    const suspect = only && this.suspects.get(only.seq);
    if (suspect) {
      if (!suspect.centralAccepted) return 'retry';
      suspect.centralAccepted = false;
      suspect.judged++;
      return suspect.judged >= JUDGEMENTS ? 'dead-letter' : 'retry';
    }
    this.interrupted();
    const key = `${records[0]?.seq}:${records.length}`;
    if (key !== this.batchKey) this.resetBatch(key);
    this.batchFailures++;
    if (records.length > 1) {
      if (this.batchFailures < SPLIT_AFTER) return 'retry';
      this.resetBatch();
      return 'split';
    }
    if (this.batchFailures < SET_ASIDE_AFTER || this.suspects.size >= MAX_SET_ASIDE) return 'retry';
    this.resetBatch();
    this.suspects.set(only!.seq, { record: only!, centralAccepted: false, judged: 0 });
    return 'set-aside';
  }

  private resetBatch(key = ''): void {
    this.batchKey = key;
    this.batchFailures = 0;
  }
}

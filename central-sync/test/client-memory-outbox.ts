/** An in-memory OutboxSource for the client tests: rows ordered by (priority, seq), like the gateway's. */
import type { OutboxRecord, OutboxSource, OutboxStats } from '../client';

export interface MemoryRow extends OutboxRecord {
  priority: number;
}

export class MemoryOutbox implements OutboxSource {
  rows: MemoryRow[] = [];
  readonly deadLetters = new Map<number, string>();
  /** Pretend the outbox bound dropped this many. */
  dropped = 0;
  peeks: Array<{ maxRecords: number; maxBytes: number }> = [];
  private seq = 0;

  add(kind: string, priority: number, payload: unknown, at = Date.now()): number {
    const seq = ++this.seq;
    this.rows.push({ seq, kind, at, payload, priority });
    return seq;
  }

  peek(maxRecords: number, maxBytes: number): OutboxRecord[] {
    this.peeks.push({ maxRecords, maxBytes });
    const sorted = [...this.rows].sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    const out: OutboxRecord[] = [];
    let bytes = 0;
    for (const r of sorted.slice(0, maxRecords)) {
      bytes += JSON.stringify(r.payload).length;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push({ seq: r.seq, kind: r.kind, at: r.at, payload: structuredClone(r.payload) });
    }
    return out;
  }

  ack(seqs: readonly number[]): void {
    const done = new Set(seqs);
    this.rows = this.rows.filter((r) => !done.has(r.seq));
  }

  deadLetter(seq: number, reason: string): void {
    this.deadLetters.set(seq, reason);
    this.rows = this.rows.filter((r) => r.seq !== seq);
  }

  stats(): OutboxStats {
    return { backlog: this.rows.length, oldestCreatedAt: this.rows.length ? Math.min(...this.rows.map((r) => r.at)) : null, dropped: this.dropped + this.deadLetters.size };
  }
}

let uid = 0;
export const event = (severity: 'low' | 'medium' | 'high', data: Record<string, unknown> = {}, type = 'loitering') => ({
  uid: `ev-${++uid}`,
  cameraId: 'cam1',
  zoneId: 'z1',
  trackId: 7,
  type,
  severity,
  at: Date.now(),
  data,
});
export const queueStat = (minute: number) => ({ cameraId: 'cam1', zoneId: 'line', minute: minute * 60_000, avgCount: 2.5, maxCount: 4, departures: 3, estWaitS: 120, occupiedRatio: null });
export const cameraHealth = (state: string) => ({ cameraId: 'cam1', state, reason: null, at: Date.now() });

import type { OutboxRecord, OutboxSource, OutboxStats } from '../../central-sync/client';
import type { Db } from '../store';

interface Row {
  seq: number;
  kind: string;
  at: number;
  payload: string;
}

/** The gateway's sync_outbox as the uplink's source. Synchronous: better-sqlite3 on one connection. */
export class SqliteOutbox implements OutboxSource {
  private readonly s;
  private readonly moveToDeadLetter: (seq: number, reason: string, at: number) => void;
  private readonly ownedBy: (gatewayId: string) => boolean;
  private readonly renumber: (gatewayId: string, highestSeq: number) => number;

  constructor(
    db: Db,
    private readonly options: { sendFaceCrops?: boolean; now?: () => number } = {},
  ) {
    this.s = {
      peek: db.prepare('SELECT seq, kind, created_at AS at, payload FROM sync_outbox ORDER BY priority, seq LIMIT ?'),
      ack: db.prepare('DELETE FROM sync_outbox WHERE seq IN (SELECT value FROM json_each(?))'),
      bury: db.prepare('INSERT OR REPLACE INTO sync_dead_letter SELECT seq, kind, priority, created_at, payload, ?, ? FROM sync_outbox WHERE seq = ?'),
      remove: db.prepare('DELETE FROM sync_outbox WHERE seq = ?'),
      backlog: db.prepare('SELECT outbox_rows AS n FROM sync_state WHERE id = 1').pluck(),
      oldest: db.prepare('SELECT created_at FROM sync_outbox ORDER BY seq LIMIT 1').pluck(),
      dropped: db.prepare('SELECT kind, count FROM sync_dropped'),
      deadLettered: db.prepare('SELECT count(*) FROM sync_dead_letter').pluck(),
      // Face crops come only with watchlist matches, which are priority 0: the index keeps this small.
      expireCrops: db.prepare(
        `UPDATE sync_outbox SET payload = json_remove(payload, '$.data.faceCrop')
         WHERE priority = 0 AND created_at < ? AND json_extract(payload, '$.data.faceCrop') IS NOT NULL`,
      ),
      expireDeadCrops: db.prepare(`UPDATE sync_dead_letter SET payload = json_remove(payload, '$.data.faceCrop') WHERE created_at < ? AND json_extract(payload, '$.data.faceCrop') IS NOT NULL`),
    };
    const owner = db.prepare('SELECT sequence_owner FROM sync_state WHERE id = 1').pluck();
    this.ownedBy = (gatewayId) => {
      const o = owner.get() as string | null;
      return o === gatewayId || o === '*';
    };
    this.renumber = db.transaction((gatewayId: string, highestSeq: number) => {
      const lowest = db.prepare('SELECT min(seq) FROM sync_outbox').pluck().get() as number | null;
      const shift = lowest !== null && lowest <= highestSeq ? highestSeq - lowest + 1 : 0;
      if (shift > 0) {
        // Two steps: shifting in place would collide with rows not yet moved.
        db.prepare('UPDATE sync_outbox SET seq = -(seq + ?)').run(shift);
        db.prepare('UPDATE sync_outbox SET seq = -seq').run();
      }
      const top = Math.max(highestSeq, (db.prepare('SELECT max(seq) FROM sync_outbox').pluck().get() as number | null) ?? 0);
      db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'sync_outbox'").run(top);
      db.prepare("INSERT INTO sqlite_sequence (name, seq) SELECT 'sync_outbox', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'sync_outbox')").run(top);
      db.prepare('UPDATE sync_state SET sequence_owner = ? WHERE id = 1').run(gatewayId);
      return shift;
    });
    this.moveToDeadLetter = db.transaction((seq: number, reason: string, at: number) => {
      this.s.bury.run(reason.slice(0, 2000), at, seq);
      this.s.remove.run(seq);
    });
  }

  peek(maxRecords: number, maxBytes: number): OutboxRecord[] {
    const rows = this.s.peek.all(maxRecords) as Row[];
    const out: OutboxRecord[] = [];
    let bytes = 0;
    for (const row of rows) {
      // JSON text is ASCII but for names and reasons: characters are close enough to bytes here.
      bytes += row.payload.length;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push({ seq: row.seq, kind: row.kind, at: row.at, payload: this.payloadOf(row) });
    }
    return out;
  }

  sequenceOwnedBy(gatewayId: string): boolean {
    return this.ownedBy(gatewayId);
  }

  /** Unsent records move above the server's highest sequence (by as much as needed, order kept), and so do future ones. */
  continueAfter(gatewayId: string, highestSeq: number): void {
    this.renumber(gatewayId, highestSeq);
  }

  ack(seqs: readonly number[]): void {
    if (seqs.length > 0) this.s.ack.run(JSON.stringify(seqs));
  }

  deadLetter(seq: number, reason: string): void {
    this.moveToDeadLetter(seq, reason, (this.options.now ?? Date.now)());
  }

  stats(): OutboxStats {
    const dropped = Object.values(this.droppedByKind()).reduce((a, b) => a + b, 0);
    return { backlog: this.backlog(), oldestCreatedAt: this.oldestCreatedAt(), dropped: dropped + this.deadLettered() };
  }

  /**
   * Retention for unsent records: a watchlist match is never dropped, so without this its face crop
   * would outlive retention.faceCropsDays in the outbox during a long outage (or with sync off).
   */
  stripFaceCropsBefore(cutoff: number): number {
    return this.s.expireCrops.run(cutoff).changes + this.s.expireDeadCrops.run(cutoff).changes;
  }

  backlog(): number {
    return (this.s.backlog.get() as number | undefined) ?? 0;
  }

  /** created_at of the oldest row written (lowest seq): O(1) on the primary key. */
  oldestCreatedAt(): number | null {
    return (this.s.oldest.get() as number | undefined) ?? null;
  }

  droppedByKind(): Record<string, number> {
    return Object.fromEntries((this.s.dropped.all() as Array<{ kind: string; count: number }>).map((r) => [r.kind, r.count]));
  }

  deadLettered(): number {
    return this.s.deadLettered.get() as number;
  }

  private payloadOf(row: Row): unknown {
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch {
      return row.payload; // the schema check dead-letters it
    }
    if (!this.options.sendFaceCrops && (row.kind === 'event' || row.kind === 'event_update')) stripFaceCrop(payload);
    return payload;
  }
}

/** Data minimisation (Decree 13): face crops stay on site unless sync.sendFaceCrops is set. */
function stripFaceCrop(payload: unknown): void {
  if (typeof payload !== 'object' || payload === null || !('data' in payload)) return;
  const data = payload.data;
  if (typeof data === 'object' && data !== null && 'faceCrop' in data) delete (data as Record<string, unknown>).faceCrop;
}

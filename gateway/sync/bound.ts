import type { Db } from '../store';
import { OUTBOX_PRIORITY } from '../store/events';
import type { UplinkLogger } from '../../central-sync/client';

/** Dropped first to last; OUTBOX_PRIORITY.critical (watchlist matches, high severity) never. */
const DROP_ORDER = [OUTBOX_PRIORITY.queueStat, OUTBOX_PRIORITY.cameraHealth, OUTBOX_PRIORITY.event] as const;

/**
 * Keeps the outbox under `maxRows` during a long outage by dropping the oldest low-value records:
 * queue stats, then camera health, then low/medium events (an event's updates go with it). Drops
 * are counted per kind in sync_dropped. The row count comes from sync_state (kept by triggers), so
 * a check under the bound costs one indexed read.
 */
export class OutboxBound {
  private writes = 0;
  private readonly s;
  private readonly trim: () => Record<string, number>;

  constructor(
    db: Db,
    readonly maxRows: number,
    private readonly log?: Pick<UplinkLogger, 'warn'>,
    /** Outbox writes between checks: the outbox may exceed the bound by this many rows until the next check. */
    private readonly checkEvery = 256,
  ) {
    this.s = {
      rows: db.prepare('SELECT outbox_rows FROM sync_state WHERE id = 1').pluck(),
      cutAt: db.prepare('SELECT seq FROM sync_outbox WHERE priority = ? ORDER BY seq LIMIT 1 OFFSET ?').pluck(),
      last: db.prepare('SELECT max(seq) FROM sync_outbox WHERE priority = ?').pluck(),
      kinds: db.prepare('SELECT kind, count(*) AS n FROM sync_outbox WHERE priority = ? AND seq <= ? GROUP BY kind'),
      updatesOfDropped: db.prepare(
        `DELETE FROM sync_outbox WHERE kind = 'event_update' AND seq > @cut AND event_uid IN
         (SELECT event_uid FROM sync_outbox WHERE priority = @priority AND kind = 'event' AND seq <= @cut)`,
      ),
      drop: db.prepare('DELETE FROM sync_outbox WHERE priority = ? AND seq <= ?'),
      count: db.prepare('INSERT INTO sync_dropped (kind, count) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET count = count + excluded.count'),
    };
    this.trim = db.transaction(() => this.trimNow());
  }

  /** Counts one outbox write; true once every `checkEvery` writes, when `enforce()` should run. */
  due(): boolean {
    this.writes = (this.writes + 1) % this.checkEvery;
    return this.writes === 0;
  }

  /** Drops down to the bound (one transaction); returns what was dropped, by kind. */
  enforce(): Record<string, number> {
    const dropped = this.trim();
    if (Object.keys(dropped).length > 0) this.log?.warn({ dropped, maxRows: this.maxRows }, 'sync outbox over its bound: dropped the oldest low-value records');
    return dropped;
  }

  private trimNow(): Record<string, number> {
    let excess = (this.s.rows.get() as number) - this.maxRows;
    const dropped: Record<string, number> = {};
    const add = (kind: string, n: number) => {
      if (n > 0) dropped[kind] = (dropped[kind] ?? 0) + n;
    };
    for (const priority of DROP_ORDER) {
      if (excess <= 0) break;
      const cut = (this.s.cutAt.get(priority, excess - 1) ?? this.s.last.get(priority)) as number | null;
      if (cut === null) continue;
      for (const { kind, n } of this.s.kinds.all(priority, cut) as Array<{ kind: string; n: number }>) add(kind, n);
      if (priority === OUTBOX_PRIORITY.event) {
        const orphans = this.s.updatesOfDropped.run({ cut, priority }).changes;
        add('event_update', orphans);
        excess -= orphans;
      }
      excess -= this.s.drop.run(priority, cut).changes;
    }
    for (const [kind, n] of Object.entries(dropped)) this.s.count.run(kind, n);
    if (excess > 0) this.log?.warn({ over: excess, maxRows: this.maxRows }, 'sync outbox over its bound with only high-severity and watchlist records left: keeping them');
    return dropped;
  }
}

import type { Db } from './db';

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const REVIEW_STATES = ['open', 'acknowledged', 'false_positive'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export type ReviewAction = 'acknowledge' | 'false_positive' | 'comment' | 'reopen';

export interface NewEvent {
  /** Stable id chosen by the producer (e.g. a UUID), so updates need no database round trip. */
  uid: string;
  cameraId: string;
  zoneId?: string;
  trackId?: number;
  type: string;
  severity: Severity;
  at: number;
  data?: Record<string, unknown>;
}

export interface EventRow {
  id: number;
  uid: string;
  cameraId: string;
  zoneId: string | null;
  trackId: number | null;
  type: string;
  severity: Severity;
  startedAt: number;
  updatedAt: number;
  endedAt: number | null;
  data: Record<string, unknown>;
  reviewState: ReviewState;
}

export type TimelinePhase = 'start' | 'update' | 'end';

/** One change of an event: the start with its first data, each update's data, the end's. */
export interface TimelineEntry {
  at: number;
  phase: TimelinePhase;
  data: Record<string, unknown>;
}

export interface ReviewEntry {
  user: string;
  action: ReviewAction;
  comment: string | null;
  at: number;
}

/** One event with its timeline and review history. */
export type EventDetail = EventRow & { timeline: TimelineEntry[]; reviews: ReviewEntry[] };

export interface EventFilter {
  cameraId?: string;
  type?: string;
  severity?: Severity;
  reviewState?: ReviewState;
  from?: number;
  to?: number;
  limit?: number;
  cursor?: string;
}

interface RawEvent {
  id: number;
  uid: string;
  camera_id: string;
  zone_id: string | null;
  track_id: number | null;
  type: string;
  severity: Severity;
  started_at: number;
  updated_at: number;
  ended_at: number | null;
  data: string;
  review_state: ReviewState;
}

const toRow = (r: RawEvent): EventRow => ({
  id: r.id,
  uid: r.uid,
  cameraId: r.camera_id,
  zoneId: r.zone_id,
  trackId: r.track_id,
  type: r.type,
  severity: r.severity,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
  endedAt: r.ended_at,
  data: JSON.parse(r.data) as Record<string, unknown>,
  reviewState: r.review_state,
});

/**
 * Sync-outbox priorities, lower sent first. An event's updates share its priority, so an update
 * never overtakes its start; the outbox bound drops the highest numbers first and never `critical`.
 */
export const OUTBOX_PRIORITY = { critical: 0, event: 1, cameraHealth: 2, queueStat: 3 } as const;

/** Watchlist matches and high severity first, then other events. */
export function outboxPriority(type: string, severity: Severity): number {
  return type === 'watchlist_match' || severity === 'high' ? OUTBOX_PRIORITY.critical : OUTBOX_PRIORITY.event;
}

export function encodeCursor(startedAt: number, id: number): string {
  return Buffer.from(`${startedAt}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { startedAt: number; id: number } {
  const m = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new Error('cursor is not valid');
  return { startedAt: Number(m[1]), id: Number(m[2]) };
}

/**
 * Events with a start / update / end lifecycle. Each change writes the event, its timeline row and
 * its sync-outbox record in one transaction, so the uplink never misses or invents a change.
 */
export class EventStore {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO events (uid, camera_id, zone_id, track_id, type, severity, started_at, updated_at, data)
         VALUES (@uid, @cameraId, @zoneId, @trackId, @type, @severity, @at, @at, @data)`,
      ),
      byUid: db.prepare('SELECT * FROM events WHERE uid = ?'),
      byId: db.prepare('SELECT * FROM events WHERE id = ?'),
      touch: db.prepare('UPDATE events SET updated_at = @at, data = @data, ended_at = COALESCE(@endedAt, ended_at) WHERE id = @id'),
      timeline: db.prepare('INSERT INTO event_updates (event_id, at, phase, data) VALUES (?, ?, ?, ?)'),
      timelineOf: db.prepare('SELECT at, phase, data FROM event_updates WHERE event_id = ? ORDER BY at, id'),
      outbox: db.prepare('INSERT INTO sync_outbox (kind, priority, created_at, payload, event_uid) VALUES (?, ?, ?, ?, ?)'),
      review: db.prepare('INSERT INTO review_actions (event_id, user_name, action, comment, at) VALUES (?, ?, ?, ?, ?)'),
      reviewsOf: db.prepare('SELECT user_name AS user, action, comment, at FROM review_actions WHERE event_id = ? ORDER BY at, id'),
      setReview: db.prepare('UPDATE events SET review_state = ? WHERE id = ?'),
    };
  }

  start(e: NewEvent): number {
    return this.db.transaction(() => {
      const data = JSON.stringify(e.data ?? {});
      const id = Number(
        this.s.insert.run({ uid: e.uid, cameraId: e.cameraId, zoneId: e.zoneId ?? null, trackId: e.trackId ?? null, type: e.type, severity: e.severity, at: e.at, data }).lastInsertRowid,
      );
      this.s.timeline.run(id, e.at, 'start', data);
      // Exactly the wire's EventPayload fields: the record kind says it is the start.
      const payload = { uid: e.uid, cameraId: e.cameraId, zoneId: e.zoneId ?? null, trackId: e.trackId ?? null, type: e.type, severity: e.severity, at: e.at, data: e.data ?? {} };
      this.s.outbox.run('event', outboxPriority(e.type, e.severity), e.at, JSON.stringify(payload), e.uid);
      return id;
    })();
  }

  /** Merges `data` into the event; `end` closes it. Unknown uids are ignored (returns false). */
  update(uid: string, at: number, data: Record<string, unknown> = {}, end = false): boolean {
    return this.db.transaction(() => {
      const raw = this.s.byUid.get(uid) as RawEvent | undefined;
      if (!raw) return false;
      const merged = JSON.stringify({ ...(JSON.parse(raw.data) as object), ...data });
      this.s.touch.run({ id: raw.id, at, data: merged, endedAt: end ? at : null });
      const phase = end ? 'end' : 'update';
      this.s.timeline.run(raw.id, at, phase, JSON.stringify(data));
      this.s.outbox.run('event_update', outboxPriority(raw.type, raw.severity), at, JSON.stringify({ uid, at, phase, data }), uid);
      return true;
    })();
  }

  end(uid: string, at: number, data: Record<string, unknown> = {}): boolean {
    return this.update(uid, at, data, true);
  }

  get(id: number): EventDetail | undefined {
    const raw = this.s.byId.get(id) as RawEvent | undefined;
    if (!raw) return undefined;
    const timeline = (this.s.timelineOf.all(id) as Array<{ at: number; phase: TimelinePhase; data: string }>).map((t) => ({ ...t, data: JSON.parse(t.data) as Record<string, unknown> }));
    return { ...toRow(raw), timeline, reviews: this.s.reviewsOf.all(id) as ReviewEntry[] };
  }

  getByUid(uid: string): EventRow | undefined {
    const raw = this.s.byUid.get(uid) as RawEvent | undefined;
    return raw ? toRow(raw) : undefined;
  }

  /** Newest first; `nextCursor` continues after the last item (stable under concurrent inserts). */
  list(filter: EventFilter = {}): { items: EventRow[]; nextCursor: string | null } {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    const add = (sql: string, key: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(sql);
      params[key] = value;
    };
    add('camera_id = @cameraId', 'cameraId', filter.cameraId);
    add('type = @type', 'type', filter.type);
    add('severity = @severity', 'severity', filter.severity);
    add('review_state = @reviewState', 'reviewState', filter.reviewState);
    add('started_at >= @from', 'from', filter.from);
    add('started_at <= @to', 'to', filter.to);
    if (filter.cursor) {
      const c = decodeCursor(filter.cursor);
      where.push('(started_at < @cStarted OR (started_at = @cStarted AND id < @cId))');
      params.cStarted = c.startedAt;
      params.cId = c.id;
    }
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT ${limit + 1}`;
    const rows = (this.db.prepare(sql).all(params) as RawEvent[]).map(toRow);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.startedAt, last.id) : null };
  }

  /** Records a review action with who and when, and moves the event's review state. */
  review(id: number, user: string, action: ReviewAction, comment: string | undefined, at: number): boolean {
    return this.db.transaction(() => {
      if (!this.s.byId.get(id)) return false;
      this.s.review.run(id, user, action, comment ?? null, at);
      const state: ReviewState | undefined = action === 'acknowledge' ? 'acknowledged' : action === 'false_positive' ? 'false_positive' : action === 'reopen' ? 'open' : undefined;
      if (state) this.s.setReview.run(state, id);
      return true;
    })();
  }
}

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRetention, AuditLog, BatchedWriter, EventStore, integrityOk, migrate, openDatabase, QueueStatStore } from '../store';

const dir = mkdtempSync(join(tmpdir(), 'gw-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => openDatabase(join(dir, `t${n++}.sqlite`));

describe('gateway store', () => {
  it('migrates once, in WAL mode', () => {
    const db = fresh();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const latest = Math.max(...readdirSync(join(import.meta.dirname, '../store/migrations')).map((f) => Number(f.slice(0, 3))));
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(migrate(db)).toBe(latest);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    for (const t of ['cameras', 'events', 'event_updates', 'snapshots', 'queue_stats', 'tracks', 'watchlist_persons', 'watchlist_embeddings', 'review_actions', 'users', 'audit_log', 'sync_outbox']) {
      expect(tables).toContain(t);
    }
  });

  it('keeps an event timeline and writes each change to the outbox in the same transaction', () => {
    const db = fresh();
    const events = new EventStore(db);
    const id = events.start({ uid: 'u1', cameraId: 'cam1', zoneId: 'door', trackId: 7, type: 'restricted_zone_entry', severity: 'high', at: 1000, data: { track: 7 } });
    events.update('u1', 2000, { dwellS: 1 });
    events.end('u1', 3000, { dwellS: 2 });
    const e = events.get(id)!;
    expect(e).toMatchObject({ type: 'restricted_zone_entry', startedAt: 1000, updatedAt: 3000, endedAt: 3000, data: { track: 7, dwellS: 2 } });
    expect(e.timeline.map((t) => (t as { phase: string }).phase)).toEqual(['start', 'update', 'end']);
    const outbox = db.prepare('SELECT kind, priority FROM sync_outbox ORDER BY seq').all();
    expect(outbox).toEqual([{ kind: 'event', priority: 0 }, { kind: 'event_update', priority: 0 }, { kind: 'event_update', priority: 0 }]);
    expect(() => events.start({ uid: 'u2', cameraId: 'c', type: 't', severity: 'extreme' as 'high', at: 1 })).toThrow(/CHECK constraint/);
    expect(db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 3 });
    expect(events.update('nope', 1)).toBe(false);
  });

  it('lists with filters and a stable cursor', () => {
    const events = new EventStore(fresh());
    for (let i = 0; i < 25; i++) {
      events.start({ uid: `e${i}`, cameraId: i % 2 ? 'a' : 'b', type: i % 5 ? 'loitering' : 'crowding', severity: 'low', at: 1000 + Math.floor(i / 2) });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = events.list({ limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((e) => e.uid));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(events.list({ cameraId: 'a', type: 'loitering' }).items.every((e) => e.cameraId === 'a' && e.type === 'loitering')).toBe(true);
    expect(events.list({ from: 1010, to: 1011 }).items).toHaveLength(4);
    expect(() => events.list({ cursor: 'garbage' })).toThrow(/cursor is not valid/);
  });

  it('records review actions with who and when', () => {
    const events = new EventStore(fresh());
    const id = events.start({ uid: 'r1', cameraId: 'c', type: 'loitering', severity: 'low', at: 5 });
    events.review(id, 'guard1', 'acknowledge', undefined, 10);
    events.review(id, 'guard2', 'comment', 'known visitor', 11);
    const e = events.get(id)!;
    expect(e.reviewState).toBe('acknowledged');
    expect(e.reviews).toEqual([
      { user: 'guard1', action: 'acknowledge', comment: null, at: 10 },
      { user: 'guard2', action: 'comment', comment: 'known visitor', at: 11 },
    ]);
    expect(events.list({ reviewState: 'acknowledged' }).items).toHaveLength(1);
  });

  it('batches writes and isolates a failing one', async () => {
    const db = fresh();
    const events = new EventStore(db);
    const errors: unknown[] = [];
    const writer = new BatchedWriter(db, (e) => errors.push(e), 10, 1000);
    for (let i = 0; i < 100; i++) writer.enqueue(() => events.start({ uid: `b${i}`, cameraId: 'c', type: 't', severity: 'low', at: i }));
    writer.enqueue(() => events.start({ uid: 'b5', cameraId: 'c', type: 't', severity: 'low', at: 0 }));
    await writer.flush();
    expect(writer.committed).toBe(100);
    expect(errors).toHaveLength(1);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 100 });
  });

  it('applies retention and keeps audit rows', () => {
    const db = fresh();
    const events = new EventStore(db);
    const day = 86_400_000;
    const now = 100 * day;
    const old = events.start({ uid: 'old', cameraId: 'c', type: 't', severity: 'low', at: now - 40 * day });
    const recent = events.start({ uid: 'new', cameraId: 'c', type: 't', severity: 'low', at: now - 2 * day, data: { faceCrop: 'AAAA' } });
    const mid = events.start({ uid: 'mid', cameraId: 'c', type: 't', severity: 'low', at: now - 10 * day, data: { faceCrop: 'BBBB' } });
    db.prepare('INSERT INTO snapshots (event_id, camera_id, taken_at, path) VALUES (?, ?, ?, ?)').run(mid, 'c', now - 10 * day, '/snap/mid.jpg');
    db.prepare('INSERT INTO snapshots (event_id, camera_id, taken_at, path, blurred_path) VALUES (?, ?, ?, ?, ?)').run(recent, 'c', now - 2 * day, '/snap/new.jpg', '/snap/new-blur.jpg');
    new AuditLog(db).record({ at: now, user: 'sec1', action: 'view_snapshot', subject: `event:${recent}` });
    new AuditLog(db).record({ at: now - 400 * day, user: 'sec1', action: 'view_snapshot', subject: `event:${old}` });
    const r = applyRetention(db, { eventsDays: 30, statsDays: 90, snapshotsDays: 7, faceCropsDays: 7, auditDays: 365 }, now);
    expect(r).toMatchObject({ events: 1, faceCrops: 1, timelineFaceCrops: 1, audit: 1, snapshotFiles: ['/snap/mid.jpg'] });
    expect(events.get(old)).toBeUndefined();
    expect(events.get(mid)!.data).toEqual({});
    expect(events.get(mid)!.timeline).toEqual([expect.objectContaining({ phase: 'start', data: {} })]);
    expect(events.get(recent)!.timeline).toEqual([expect.objectContaining({ phase: 'start', data: { faceCrop: 'AAAA' } })]);
    expect(events.get(recent)!.data).toEqual({ faceCrop: 'AAAA' });
    expect(new AuditLog(db).list()).toHaveLength(1);
  });

  it('migration 009 adds line-zone crossings to an existing database: old rows read back with null crossings, new rows keep theirs, retention takes both', () => {
    // A database file as a gateway before this migration left it: migrations 001-008 and a row.
    const path = join(dir, 'before-009.sqlite');
    const old = new Database(path);
    const migrations = join(import.meta.dirname, '../store/migrations');
    for (const file of readdirSync(migrations).filter((f) => /^00[1-8]_.+\.sql$/.test(f)).sort()) old.exec(readFileSync(join(migrations, file), 'utf8'));
    old.pragma('user_version = 8');
    old.prepare('INSERT INTO queue_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('hall', 'line', 1000, 2.5, 4, 3, 90, null);
    old.close();

    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(9);
    const stats = new QueueStatStore(db);
    stats.upsert({ cameraId: 'door', zoneId: 'entrance', minute: 1001, avgCount: 1, maxCount: 2, departures: 0, estWaitSeconds: null, occupiedRatio: null, crossingsIn: 7, crossingsOut: 0 });
    stats.upsert({ cameraId: 'door', zoneId: 'entrance', minute: 1002, avgCount: 0, maxCount: 0, departures: 0, estWaitSeconds: null, occupiedRatio: null, crossingsIn: 1, crossingsOut: 2 });
    // A rewrite of the minute replaces its crossings (the last write for a zone's minute wins).
    stats.upsert({ cameraId: 'door', zoneId: 'entrance', minute: 1002, avgCount: 0, maxCount: 0, departures: 0, estWaitSeconds: null, occupiedRatio: null, crossingsIn: 3, crossingsOut: 2 });
    stats.upsert({ cameraId: 'hall', zoneId: 'line', minute: 1016, avgCount: 1, maxCount: 1, departures: 1, estWaitSeconds: 30, occupiedRatio: null });
    const series = stats.series({ fromMinute: 0, toMinute: 2000 });
    expect(series).toEqual([
      { camera: 'door', zone: 'entrance', minute: 1001, avgCount: 1, maxCount: 2, departures: 0, estWaitSeconds: null, occupiedRatio: null, crossingsIn: 7, crossingsOut: 0 },
      { camera: 'door', zone: 'entrance', minute: 1002, avgCount: 0, maxCount: 0, departures: 0, estWaitSeconds: null, occupiedRatio: null, crossingsIn: 3, crossingsOut: 2 },
      { camera: 'hall', zone: 'line', minute: 1000, avgCount: 2.5, maxCount: 4, departures: 3, estWaitSeconds: 90, occupiedRatio: null, crossingsIn: null, crossingsOut: null },
      { camera: 'hall', zone: 'line', minute: 1016, avgCount: 1, maxCount: 1, departures: 1, estWaitSeconds: 30, occupiedRatio: null, crossingsIn: null, crossingsOut: null },
    ]);
    // Crossings per 15-minute slot: line zones only (the queue rows have none), minutes 1001-1002 in the slot from 990.
    expect(stats.crossings({ fromMinute: 0, toMinute: 2000, slotMinutes: 15 })).toEqual([{ camera: 'door', zone: 'entrance', minute: 990, crossingsIn: 10, crossingsOut: 2 }]);
    expect(stats.crossings({ fromMinute: 1002, toMinute: 2000, slotMinutes: 1 })).toEqual([{ camera: 'door', zone: 'entrance', minute: 1002, crossingsIn: 3, crossingsOut: 2 }]);
    // Retention: line-zone rows go with the rest of queue_stats.
    const r = applyRetention(db, { eventsDays: 30, statsDays: 1, snapshotsDays: 7, faceCropsDays: 7, auditDays: 365 }, 1002 * 60_000 + 86_400_000, { snapshotsDir: null });
    expect(r.stats).toBe(2);
    expect(stats.series({ fromMinute: 0, toMinute: 2000 }).map((s) => [s.zone, s.minute])).toEqual([['entrance', 1002], ['line', 1016]]);
    db.close();
  });

  it('loses no committed event when killed with SIGKILL during heavy writing', async () => {
    const path = join(dir, 'killed.sqlite');
    // node --import tsx, not the tsx CLI: the CLI runs the script in a grandchild that SIGKILL would not reach.
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/heavy-writer.ts'), path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    await new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const m = /^COMMITTED (\d+)$/.exec(line);
        if (!m) return;
        committed = Number(m[1]);
        if (committed >= 3000) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    const db = openDatabase(path);
    expect(integrityOk(db)).toBe(true);
    const { n } = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    expect(n).toBeGreaterThanOrEqual(committed);
    const { open } = db.prepare('SELECT count(*) AS open FROM events WHERE ended_at IS NULL').get() as { open: number };
    expect(open).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: n * 2 });
    db.close();
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRetention, AuditLog, BatchedWriter, EventStore, integrityOk, migrate, openDatabase } from '../store';

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

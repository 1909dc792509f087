import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SyncRecordSchema } from '../../central-sync/wire';
import { parseConfig } from '../config';
import { EventStore, migrate, openDatabase, type Db } from '../store';
import { OutboxBound, OutboxWriter, SqliteOutbox } from '../sync';

const dir = mkdtempSync(join(tmpdir(), 'gw-sync-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => openDatabase(join(dir, `t${n++}.sqlite`));

const rows = (db: Db) => db.prepare('SELECT seq, kind, priority, created_at AS at, payload FROM sync_outbox ORDER BY seq').all() as Array<{ seq: number; kind: string; priority: number; at: number; payload: string }>;
const kinds = (db: Db) => db.prepare('SELECT kind, count(*) AS n FROM sync_outbox GROUP BY kind ORDER BY kind').all();
const backlog = (db: Db) => (db.prepare('SELECT outbox_rows FROM sync_state').pluck().get() as number);
const stat = (minute: number) => ({ cameraId: 'cam1', zoneId: 'line', minute, avgCount: 2.35, maxCount: 4, departures: 2, estWaitSeconds: 95.6, occupiedRatio: null });

describe('sync outbox rows', () => {
  it('writes events, updates, queue stats and camera health that parse with the wire schemas, at their priorities', () => {
    const db = fresh();
    const events = new EventStore(db);
    const writer = new OutboxWriter(db);
    events.start({ uid: 'w1', cameraId: 'cam1', type: 'watchlist_match', severity: 'medium', at: 1000, data: { personId: 'p1', faceCrop: 'AAAA' } });
    events.start({ uid: 'h1', cameraId: 'cam1', zoneId: 'door', trackId: 3, type: 'restricted_zone_entry', severity: 'high', at: 1100 });
    events.start({ uid: 'l1', cameraId: 'cam1', type: 'loitering', severity: 'low', at: 1200 });
    events.update('l1', 1300, { dwellS: 60 });
    events.end('h1', 1400);
    const minute = Math.floor(Date.UTC(2026, 0, 2, 3, 4) / 60_000);
    db.transaction(() => writer.queueStat(stat(minute)))();
    writer.cameraHealth({ cameraId: 'cam1', state: 'reconnecting', reason: 'connection_refused', at: 1500 });

    const out = rows(db);
    expect(out.map((r) => [r.kind, r.priority])).toEqual([
      ['event', 0],
      ['event', 0],
      ['event', 1],
      ['event_update', 1],
      ['event_update', 0],
      ['queue_stat', 3],
      ['camera_health', 2],
    ]);
    for (const r of out) {
      const parsed = SyncRecordSchema.safeParse({ seq: r.seq, kind: r.kind, at: r.at, payload: JSON.parse(r.payload) });
      expect(parsed.success, `${r.kind}: ${parsed.error?.message}`).toBe(true);
    }
    expect(JSON.parse(out[1]!.payload)).toEqual({ uid: 'h1', cameraId: 'cam1', zoneId: 'door', trackId: 3, type: 'restricted_zone_entry', severity: 'high', at: 1100, data: {} });
    const queue = JSON.parse(out[5]!.payload) as { minute: number; estWaitS: number };
    expect(queue.minute).toBe(Date.UTC(2026, 0, 2, 3, 4));
    expect(queue.estWaitS).toBe(96);
    expect(out[5]!.at).toBe(Date.UTC(2026, 0, 2, 3, 5));
    expect(backlog(db)).toBe(7);
  });

  it("sends a line zone's crossings (wire version 2) and leaves other zones' stats as version 1 had them", () => {
    const db = fresh();
    const writer = new OutboxWriter(db);
    const minute = Math.floor(Date.UTC(2026, 0, 2, 3, 4) / 60_000);
    db.transaction(() => {
      writer.queueStat({ ...stat(minute), zoneId: 'entrance', crossingsIn: 4, crossingsOut: 0 });
      writer.queueStat({ ...stat(minute), crossingsIn: null, crossingsOut: null });
      writer.queueStat(stat(minute + 1));
    })();
    const payloads = rows(db).map((r) => JSON.parse(r.payload) as Record<string, unknown>);
    expect(payloads[0]).toMatchObject({ zoneId: 'entrance', crossingsIn: 4, crossingsOut: 0 });
    expect('crossingsIn' in payloads[1]! || 'crossingsOut' in payloads[1]!).toBe(false);
    expect('crossingsIn' in payloads[2]! || 'crossingsOut' in payloads[2]!).toBe(false);
    for (const r of rows(db)) expect(SyncRecordSchema.safeParse({ seq: r.seq, kind: r.kind, at: r.at, payload: JSON.parse(r.payload) }).success).toBe(true);
  });

  it('migration 003 strips the phase older event payloads carried, links rows to their event and counts them', () => {
    const db = new Database(join(dir, 'old.sqlite'));
    db.exec(readFileSync(join(import.meta.dirname, '../store/migrations/001_init.sql'), 'utf8'));
    db.pragma('user_version = 1');
    const insert = db.prepare('INSERT INTO sync_outbox (kind, priority, created_at, payload) VALUES (?, ?, ?, ?)');
    insert.run('event', 1, 5, JSON.stringify({ uid: 'old', cameraId: 'c', type: 'loitering', severity: 'low', at: 5, data: {}, phase: 'start' }));
    insert.run('event_update', 1, 6, JSON.stringify({ uid: 'old', at: 6, phase: 'end', data: {} }));
    migrate(db);
    const [start, end] = db.prepare('SELECT kind, payload, event_uid FROM sync_outbox ORDER BY seq').all() as Array<{ kind: string; payload: string; event_uid: string }>;
    expect(JSON.parse(start!.payload)).not.toHaveProperty('phase');
    expect(SyncRecordSchema.safeParse({ seq: 1, kind: 'event', at: 5, payload: JSON.parse(start!.payload) }).success).toBe(true);
    expect(JSON.parse(end!.payload)).toMatchObject({ phase: 'end' });
    expect([start!.event_uid, end!.event_uid]).toEqual(['old', 'old']);
    expect(backlog(db)).toBe(2);
    db.close();
  });
});

describe('sync outbox as the uplink source', () => {
  it('peeks by priority then seq within the record and byte limits, strips face crops (unless configured, and at retention), acks and dead-letters', () => {
    const db = fresh();
    const events = new EventStore(db);
    const writer = new OutboxWriter(db);
    db.transaction(() => writer.queueStat(stat(29_000_000)))();
    events.start({ uid: 'l1', cameraId: 'cam1', type: 'loitering', severity: 'low', at: 10 });
    events.start({ uid: 'w1', cameraId: 'cam1', type: 'watchlist_match', severity: 'medium', at: 20, data: { personId: 'p1', faceCrop: 'BASE64JPEG' } });
    events.update('w1', 30, { similarity: 0.7, faceCrop: 'BETTER' });
    writer.cameraHealth({ cameraId: 'cam1', state: 'streaming', reason: null, at: 40 });

    const outbox = new SqliteOutbox(db, { now: () => 99 });
    const all = outbox.peek(100, 1_000_000);
    expect(all.map((r) => r.kind)).toEqual(['event', 'event_update', 'event', 'camera_health', 'queue_stat']);
    expect(all[0]!.payload).toMatchObject({ uid: 'w1', data: { personId: 'p1' } });
    expect(JSON.stringify(all)).not.toContain('BASE64JPEG');
    expect(JSON.stringify(all)).not.toContain('BETTER');
    expect(JSON.stringify(new SqliteOutbox(db, { sendFaceCrops: true }).peek(1, 1_000_000))).toContain('BASE64JPEG');
    // Retention: crops of records older than the cutoff go, even unsent; newer ones stay.
    expect(outbox.stripFaceCropsBefore(25)).toBe(1);
    const raw = JSON.stringify(rows(db));
    expect(raw).not.toContain('BASE64JPEG');
    expect(raw).toContain('BETTER');
    expect(outbox.peek(2, 1_000_000)).toHaveLength(2);
    expect(outbox.peek(100, 1)).toHaveLength(1);
    expect(outbox.peek(100, 250).length).toBeLessThan(5);

    outbox.ack([all[0]!.seq, all[1]!.seq]);
    outbox.deadLetter(all[2]!.seq, 'central refused: nope');
    expect(outbox.peek(100, 1_000_000).map((r) => r.kind)).toEqual(['camera_health', 'queue_stat']);
    expect(outbox.stats()).toEqual({ backlog: 2, oldestCreatedAt: (29_000_000 + 1) * 60_000, dropped: 1 });
    expect(db.prepare('SELECT seq, kind, error, dead_at FROM sync_dead_letter').all()).toEqual([{ seq: all[2]!.seq, kind: 'event', error: 'central refused: nope', dead_at: 99 }]);
  });
});

describe('outbox numbering across a lost database', () => {
  it('moves unsent records and future ones above the server\'s highest sequence, in order, once per gateway', () => {
    const db = fresh();
    const outbox = new SqliteOutbox(db);
    const writer = new OutboxWriter(db);
    const stat = (minute: number) => writer.queueStat({ cameraId: 'c', zoneId: 'z', minute, avgCount: 1, maxCount: 1, departures: 0, estWaitSeconds: null, occupiedRatio: null });
    for (let i = 0; i < 3; i++) stat(i);
    expect(outbox.sequenceOwnedBy('gw-1')).toBe(false);
    outbox.continueAfter('gw-1', 40);
    expect(db.prepare('SELECT seq FROM sync_outbox ORDER BY seq').pluck().all()).toEqual([41, 42, 43]);
    stat(3);
    expect(db.prepare('SELECT max(seq) FROM sync_outbox').pluck().get()).toBe(44);
    expect(outbox.sequenceOwnedBy('gw-1')).toBe(true);
    // A server behind the outbox (a new gateway id): nothing moves.
    outbox.continueAfter('gw-2', 5);
    expect(db.prepare('SELECT seq FROM sync_outbox ORDER BY seq').pluck().all()).toEqual([41, 42, 43, 44]);
    // An empty outbox still numbers its next record above the server's.
    outbox.ack([41, 42, 43, 44]);
    outbox.continueAfter('gw-3', 100);
    stat(4);
    expect(db.prepare('SELECT seq FROM sync_outbox').pluck().all()).toEqual([101]);
  });
});

describe('bounded outbox', () => {
  it('drops queue stats first, then camera health, then low/medium events with their updates; never high or watchlist; counts per kind', () => {
    const db = fresh();
    const events = new EventStore(db);
    const writer = new OutboxWriter(db);
    const bound = new OutboxBound(db, 20, undefined, 5);
    for (let i = 0; i < 6; i++) events.start({ uid: `high${i}`, cameraId: 'c', type: 'restricted_zone_entry', severity: 'high', at: i });
    events.start({ uid: 'watch', cameraId: 'c', type: 'watchlist_match', severity: 'low', at: 7 });
    events.update('watch', 8, {});
    for (let i = 0; i < 6; i++) events.start({ uid: `low${i}`, cameraId: 'c', type: 'loitering', severity: i % 2 ? 'low' : 'medium', at: 10 + i });
    events.end('low0', 20);
    events.end('low5', 21);
    for (let i = 0; i < 4; i++) writer.cameraHealth({ cameraId: 'c', state: i % 2 ? 'streaming' : 'stalled', reason: null, at: 30 + i });
    for (let i = 0; i < 8; i++) writer.queueStat(stat(29_000_000 + i));
    expect(backlog(db)).toBe(28);

    expect(bound.enforce()).toEqual({ queue_stat: 8 });
    expect(backlog(db)).toBe(20);
    expect(bound.enforce()).toEqual({});

    for (let i = 0; i < 5; i++) events.start({ uid: `more${i}`, cameraId: 'c', type: 'crowding', severity: 'medium', at: 40 + i });
    expect(bound.enforce()).toEqual({ camera_health: 4, event: 1, event_update: 1 });
    // low0 went with its end; low5's end stays with low5.
    expect(rows(db).some((r) => r.payload.includes('"low0"'))).toBe(false);
    expect(rows(db).filter((r) => r.payload.includes('"low5"'))).toHaveLength(2);
    expect(backlog(db)).toBe(19);

    for (let i = 0; i < 30; i++) events.start({ uid: `alarm${i}`, cameraId: 'c', type: 'camera_tampered', severity: 'high', at: 50 + i });
    expect(bound.enforce()).toEqual({ event: 10, event_update: 1 });
    expect(kinds(db)).toEqual([
      { kind: 'event', n: 37 },
      { kind: 'event_update', n: 1 },
    ]);
    expect(rows(db).every((r) => r.priority === 0)).toBe(true);
    expect(backlog(db)).toBe(38);
    expect(new SqliteOutbox(db).droppedByKind()).toEqual({ queue_stat: 8, camera_health: 4, event: 11, event_update: 2 });

    const due = Array.from({ length: 10 }, () => bound.due());
    expect(due).toEqual([false, false, false, false, true, false, false, false, false, true]);
  });

  it('checks the bound with an indexed read and trims through indexes', () => {
    const db = fresh();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    expect(plan("SELECT seq FROM sync_outbox WHERE priority = 3 ORDER BY seq LIMIT 1 OFFSET 10")).toMatch(/USING (COVERING )?INDEX sync_outbox_priority/);
    expect(plan("DELETE FROM sync_outbox WHERE kind = 'event_update' AND seq > 5 AND event_uid IN (SELECT event_uid FROM sync_outbox WHERE priority = 1 AND kind = 'event' AND seq <= 5)")).toMatch(/INDEX sync_outbox_event_uid/);
  });

  it('takes its sync settings from the config with defaults', () => {
    const base = { site: { id: 's', name: 'S' }, cameras: [{ id: 'c', url: 'rtsp://x/y' }] };
    expect(parseConfig({ ...base, sync: { url: 'https://central.example' } }).sync).toEqual({
      url: 'https://central.example',
      credentialsFile: join('data', 'central-credentials.json'),
      batchRecords: 500,
      maxOutboxRecords: 1_000_000,
      heartbeatSeconds: 30,
      sendFaceCrops: false,
      timeoutMs: 15_000,
    });
    expect(() => parseConfig({ ...base, sync: { url: 'https://central.example', batchRecords: 6000 } })).toThrow(/sync\.batchRecords/);
    expect(() => parseConfig({ ...base, sync: { url: 'https://central.example', sendFacecrops: true } })).toThrow(/sync/);
  });
});

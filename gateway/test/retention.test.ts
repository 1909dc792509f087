import { existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoFrame } from '../../test-helpers/media';
import { parseConfig } from '../config';
import { GatewayService } from '../service';
import { saveSnapshot } from '../snapshots';

/**
 * Retention through the real path: a gateway service on a temporary data directory, snapshots
 * written by the real saveSnapshot where the service writes them, and service.retention() as the
 * hourly timer calls it.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'gw-retention-'));
const DAY = 86_400_000;
const HOUR = 3_600_000;
let gateway: GatewayService;

beforeAll(async () => {
  const config = parseConfig({
    site: { id: 'retention', name: 'Retention site' },
    // Nothing listens there: the camera only reconnects, and its pipeline writes nothing we look at.
    cameras: [{ id: 'door', url: 'rtsp://127.0.0.1:9/none' }],
    users: [{ name: 'admin', role: 'admin', token: 'retention-admin-token-0123456789' }],
    storage: { dataDir },
    api: { host: '127.0.0.1', port: 0 },
    retention: { eventsDays: 30, snapshotsDays: 7, faceCropsDays: 7 },
  });
  gateway = await GatewayService.start(config, pino({ level: 'silent' }));
});
afterAll(async () => {
  await gateway?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Where the service puts a camera's snapshots of one (UTC) day. */
const snapshotDir = (cameraId: string, at: number) => join(dataDir, 'snapshots', cameraId, new Date(at).toISOString().slice(0, 10));
const boxes = [{ x1: 240, y1: 210, x2: 300, y2: 330 }];

/** An event and its snapshot files (original and blurred), stored as the service stores them. */
async function eventWithSnapshot(uid: string, at: number) {
  gateway.events.start({ uid, cameraId: 'door', type: 'restricted_zone_entry', severity: 'high', at });
  const saved = await saveSnapshot(snapshotDir('door', at), uid, videoFrame('vtest.avi', 0), boxes);
  gateway.db
    .prepare('INSERT INTO snapshots (event_id, camera_id, taken_at, path, blurred_path, has_faces) SELECT id, ?, ?, ?, ?, 0 FROM events WHERE uid = ?')
    .run('door', at, saved.path, saved.blurredPath, uid);
  return saved;
}

/** Snapshot files with no row, as a crash between writing them and inserting the row leaves them; mtime set to `modifiedAt`. */
async function orphanSnapshot(uid: string, at: number, modifiedAt: number) {
  const saved = await saveSnapshot(snapshotDir('door', at), uid, videoFrame('vtest.avi', 0), boxes);
  for (const file of [saved.path, saved.blurredPath]) utimesSync(file, modifiedAt / 1000, modifiedAt / 1000);
  return saved;
}

describe('retention through the gateway service', () => {
  it('deletes expired snapshot files on disk, sweeps old files that have no row, and keeps fresh ones', async () => {
    const now = Date.now();
    const expired = await eventWithSnapshot('expired', now - 10 * DAY);
    const kept = await eventWithSnapshot('kept', now - 2 * HOUR);
    const oldOrphan = await orphanSnapshot('crashed-old', now - 3 * DAY, now - 3 * DAY);
    const freshOrphan = await orphanSnapshot('in-flight', now, now);
    for (const f of [expired, kept, oldOrphan, freshOrphan]) expect(existsSync(f.path) && existsSync(f.blurredPath)).toBe(true);

    gateway.retention();

    expect(existsSync(expired.path), 'expired original').toBe(false);
    expect(existsSync(expired.blurredPath), 'expired blurred copy').toBe(false);
    expect(existsSync(oldOrphan.path), 'orphan original').toBe(false);
    expect(existsSync(oldOrphan.blurredPath), 'orphan blurred copy').toBe(false);
    // Emptied day directories go too; today's stays with the files still in use.
    expect(existsSync(dirname(expired.path)), 'emptied day directory').toBe(false);
    expect(existsSync(dirname(oldOrphan.path)), 'emptied orphan day directory').toBe(false);
    expect(existsSync(kept.path) && existsSync(kept.blurredPath), 'snapshot within retention').toBe(true);
    // A snapshot being written has no row yet: within the grace period it is left alone.
    expect(existsSync(freshOrphan.path) && existsSync(freshOrphan.blurredPath), 'fresh file with no row').toBe(true);
    expect(gateway.db.prepare("SELECT count(*) FROM snapshots s JOIN events e ON e.id = s.event_id WHERE e.uid = 'kept'").pluck().get()).toBe(1);
  });

  it('leaves no copy of a face crop older than faceCropsDays in any table, and keeps newer ones', async () => {
    const now = Date.now();
    const oldCrop = await faceCropBase64(1);
    const oldBetterCrop = await faceCropBase64(2);
    const newCrop = await faceCropBase64(3);
    const match = (uid: string, at: number, crop: string, better: string) => {
      gateway.events.start({ uid, cameraId: 'door', trackId: 7, type: 'watchlist_match', severity: 'high', at, data: { personId: 'p1', person: 'Eileen', similarity: 0.91, faceCrop: crop } });
      gateway.events.update(uid, at + 1000, { similarity: 0.95, faceCrop: better });
    };
    match('old-match', now - 8 * DAY, oldCrop, oldBetterCrop);
    match('new-match', now - 1 * DAY, newCrop, newCrop);
    // One of the old copies waits in the dead letter as well (refused by central once).
    const seq = gateway.db.prepare("SELECT seq FROM sync_outbox WHERE event_uid = 'old-match' AND kind = 'event_update'").pluck().get() as number;
    gateway.sync.outbox.deadLetter(seq, 'refused');
    expect(tablesHolding(oldCrop).length, 'the old crop is stored before retention').toBeGreaterThan(0);
    expect(tablesHolding(oldBetterCrop).length).toBeGreaterThan(0);

    gateway.retention();

    expect(tablesHolding(oldCrop), 'tables still holding the old crop').toEqual([]);
    expect(tablesHolding(oldBetterCrop), 'tables still holding the old update crop').toEqual([]);
    expect(tablesHolding(newCrop)).toEqual(expect.arrayContaining(['events', 'event_updates', 'sync_outbox']));
    const old = gateway.events.getByUid('old-match')!;
    expect(old.data).toEqual({ personId: 'p1', person: 'Eileen', similarity: 0.95 });
  });
});

/** A small JPEG, base64 as the face path stores it; `seed` makes each one's bytes different. */
async function faceCropBase64(seed: number): Promise<string> {
  const pixels = Buffer.alloc(24 * 24 * 3, 0).map((_, i) => (i * 31 * seed + seed * 7) % 256);
  return (await sharp(pixels, { raw: { width: 24, height: 24, channels: 3 } }).jpeg({ quality: 80 }).toBuffer()).toString('base64');
}

/** Names of the tables with a row whose text (any column, blobs read as text) contains `needle`. */
function tablesHolding(needle: string): string[] {
  const tables = gateway.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  return tables.filter((table) => {
    const rows = gateway.db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>;
    return rows.some((row) => Object.values(row).some((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v)).includes(needle)));
  });
}

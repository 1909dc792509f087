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
    cameras: [{ id: 'door', url: 'rtsp://127.0.0.1:9/none', role: 'entrance' }],
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
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FaceEngine } from '../../models';
import { photoRefusalStatus } from '../api';
import { ApiError } from '../api/errors';
import { SnapshotTaker, type SavedSnapshot } from '../snapshots';
import { gatewayStores, openDatabase } from '../store';
import { enrolmentFace, PhotoRefused, PhotoSlots } from '../watchlist';
import { importCycles, productionSources, relativeImports, sqlStatements } from './source-graph';

const GATEWAY = join(import.meta.dirname, '..');
const ROOT = join(GATEWAY, '..');

describe("the gateway's rooms", () => {
  it('keeps every SQL statement in gateway/store and gateway/sync', () => {
    const outside = productionSources(GATEWAY)
      .filter((f) => !f.startsWith(join(GATEWAY, 'store') + sep) && !f.startsWith(join(GATEWAY, 'sync') + sep))
      .flatMap((f) => sqlStatements(f).map((line) => `${relative(ROOT, f)}: ${line}`));
    expect(outside).toEqual([]);
  });

  it('exports no test-only code from production modules, and benchmarks import no test code', async () => {
    expect(Object.keys(await import('../sync'))).not.toContain('startUplinkForTest');
    const benchmarks = productionSources(join(ROOT, 'benchmarks')).filter((f) => !f.endsWith('.test.ts'));
    const intoTests = benchmarks.flatMap((f) => relativeImports(f).filter((to) => /[\\/](test|test-helpers)[\\/]/.test(relative(ROOT, to))).map((to) => `${relative(ROOT, f)} -> ${relative(ROOT, to)}`));
    expect(intoTests).toEqual([]);
  });

  it('leaves gateway/service.ts wiring only: no late-bound service!, snapshot throttle, detector defaults or live-view session checks', () => {
    const service = readFileSync(join(GATEWAY, 'service.ts'), 'utf8');
    expect(service).not.toMatch(/service!/);
    expect(service).not.toMatch(/InFlight|scoreThreshold|identify\(|SESSION_COOKIE|\.prepare\(/);
  });

  it('has no import cycle through gateway/api (type-only imports included)', () => {
    expect(importCycles(productionSources(GATEWAY), join(GATEWAY, 'api') + sep, ROOT)).toEqual([]);
  });
});

describe('stores behind the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-rooms-'));
  const db = openDatabase(join(dir, 'gateway.sqlite'));
  const stores = gatewayStores(db);
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trip queue stats, tracks and snapshots', () => {
    const stat = { cameraId: 'cam', zoneId: 'line', minute: 100, avgCount: 2.5, maxCount: 4, departures: 1, estWaitSeconds: 60, occupiedRatio: 0.5 };
    stores.queueStats.upsert(stat);
    stores.queueStats.upsert({ ...stat, maxCount: 6 });
    expect(stores.queueStats.series({ fromMinute: 0, toMinute: 200 })).toEqual([
      { camera: 'cam', zone: 'line', minute: 100, avgCount: 2.5, maxCount: 6, departures: 1, estWaitSeconds: 60, occupiedRatio: 0.5, crossingsIn: null, crossingsOut: null },
    ]);
    expect(stores.queueStats.series({ zone: 'other', fromMinute: 0, toMinute: 200 })).toEqual([]);

    stores.events.start({ uid: 'e1', cameraId: 'cam', trackId: 7, type: 'loitering', severity: 'low', at: 1500 });
    const best = { at: 1200, score: 0.9, box: { x1: 1, y1: 2, x2: 3, y2: 4 } };
    stores.tracks.save({ cameraId: 'cam', trackId: 7, firstSeen: 1000, lastSeen: 2000, zones: [{ zoneId: 'line', enter: 1100 }], best });
    const track = stores.tracks.seenAt('cam', 7, 1500, 5000);
    expect(track).toEqual({ cameraId: 'cam', trackId: 7, firstSeen: 1000, lastSeen: 2000, zones: [{ zoneId: 'line', enter: 1100 }], best });
    expect(stores.tracks.events('cam', 7, 1000, 7000).map((e) => e.type)).toEqual(['loitering']);

    stores.snapshots.add('e1', 'cam', 1500, { path: '/x/e1.jpg', blurredPath: '/x/e1-blurred.jpg' });
    stores.snapshots.add('no-such-event', 'cam', 1500, { path: '/x/none.jpg', blurredPath: null });
    const id = stores.events.getByUid('e1')!.id;
    expect(stores.snapshots.firstOf(id)).toEqual({ path: '/x/e1.jpg', blurredPath: '/x/e1-blurred.jpg' });
    expect([...stores.snapshots.withBlurred([id, id + 1])]).toEqual([id]);
    expect(stores.databaseAnswers()).toBe(true);
  });
});

describe('a refused enrolment photo', () => {
  const engine = { analyze: () => Promise.reject(new Error('never reached')) } as Pick<FaceEngine, 'analyze'> as FaceEngine;

  it('is a watchlist PhotoRefused naming the field, not an HTTP error', async () => {
    const refusal = await enrolmentFace(engine, Buffer.from('not a photo'), 'photo[2]').catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(PhotoRefused);
    expect(refusal).not.toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ kind: 'not_an_image', field: 'photo[2]', message: expect.stringMatching(/^photo\[2\] is not an image/) });
  });

  it('is busy when the photo checks are full, which the API answers with 503', async () => {
    const slots = new PhotoSlots({ running: 1, waiting: 0, waitMs: 50 });
    let release = () => undefined as void;
    const held = slots.run('photo[0]', () => new Promise<void>((r) => (release = r)));
    await expect(slots.run('photo[1]', async () => undefined)).rejects.toMatchObject({ kind: 'busy', field: 'photo[1]' });
    release();
    await held;
    expect([photoRefusalStatus('too_large'), photoRefusalStatus('not_an_image'), photoRefusalStatus('no_usable_face'), photoRefusalStatus('busy')]).toEqual([413, 415, 422, 503]);
  });
});

describe('the snapshot taker', () => {
  it('writes snapshots in the background, records each, and skips beyond maxInFlight at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-snap-'));
    try {
      const saved: Array<{ uid: string; files: SavedSnapshot }> = [];
      const taker = new SnapshotTaker({ dir, maxInFlight: 2, saved: (uid, _camera, _at, files) => saved.push({ uid, files }), failed: (err) => { throw err; } });
      const frame = { data: new Uint8Array(64 * 48 * 3).fill(128), width: 64, height: 48 };
      const at = Date.UTC(2026, 0, 2, 3, 4, 5);
      expect([1, 2, 3].map((n) => taker.take(`e${n}`, 'cam', frame, [{ x1: 4, y1: 4, x2: 30, y2: 40 }], at))).toEqual([true, true, false]);
      await expect.poll(() => saved.length).toBe(2);
      expect(saved.map((s) => s.uid).sort()).toEqual(['e1', 'e2']);
      for (const s of saved) {
        expect(s.files.path.startsWith(join(dir, 'cam', '2026-01-02'))).toBe(true);
        expect(existsSync(s.files.path) && existsSync(s.files.blurredPath)).toBe(true);
      }
      expect(taker.take('e4', 'cam', frame, [], at)).toBe(true);
      await expect.poll(() => saved.length).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

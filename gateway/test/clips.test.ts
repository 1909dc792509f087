import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../test-helpers/processes';
import { CameraSimulator, CameraStream } from '../../streams';
import { resolveFfprobe } from '../../streams/ffmpeg/binary';
import { ClipsConfigSchema, createClips, type Clips, type ClipView } from '../clips';
import { applyRetention, EventStore, openDatabase, type Db } from '../store';
import { ClipStore } from '../store/clips';

const DAY_MS = 86_400_000;
const MiB = 1024 * 1024;
let sim: CameraSimulator;
let root: string;
const cleanup: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  sim = await CameraSimulator.start({ cameras: [{ name: 'cam1' }] });
  root = mkdtempSync(join(tmpdir(), 'gw-clips-'));
});
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
afterAll(async () => {
  await sim?.stop();
  rmSync(root, { recursive: true, force: true });
});

interface Site {
  dir: string;
  db: Db;
  events: EventStore;
  clips: Clips;
  stream: CameraStream;
}

/** A gateway's clip parts on a real SQLite file, with one simulated camera streaming into its buffer. */
async function site(name: string, clipsConfig: Record<string, number>): Promise<Site> {
  const dir = join(root, name);
  const db = openDatabase(join(dir, 'gateway.sqlite'));
  const clips = createClips({ config: ClipsConfigSchema.parse(clipsConfig), dataDir: dir, db, log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  const stream = new CameraStream({ id: 'cam1', url: sim.url('cam1'), detectFps: 2, detectSize: { width: 320, height: 180 } }, { segments: clips.bufferFor('cam1') });
  cleanup.push(() => void db.close(), () => clips.close(), () => stream.stop());
  stream.start();
  return { dir, db, events: new EventStore(db), clips, stream };
}

const probeDuration = (file: string) => Number(execFileSync(resolveFfprobe(), ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
/** Decodes every frame: a broken file fails here. */
const decodes = (file: string) => execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function event(s: Site, uid: string, at: number): void {
  s.events.start({ uid, cameraId: 'cam1', type: 'restricted_zone_entry', severity: 'high', at, zoneId: 'z' });
  s.clips.eventStarted({ uid, cameraId: 'cam1', type: 'restricted_zone_entry', at });
}

async function settled(s: Site, uid: string, timeoutMs: number): Promise<ClipView> {
  await waitFor(() => !['recording', 'none'].includes(s.clips.access.ofEvent(uid).state), timeoutMs, 200);
  return s.clips.access.ofEvent(uid);
}

describe('evidence clips from the simulator through the gateway clip parts', () => {
  it('an event on a streaming camera yields a playable clip from preRoll before to postRoll after it', async () => {
    const s = await site('full', { preRollSeconds: 4, postRollSeconds: 3, segmentSeconds: 2 });
    // The buffer reaches back further than the pre-roll before the event starts.
    expect(await waitFor(() => s.clips.access.usage().cameras[0]!.segments >= 3, 30_000)).toBe(true);
    const startAt = Date.now();
    event(s, 'ev-full', startAt);
    expect(s.clips.access.ofEvent('ev-full')).toEqual({ state: 'recording' });
    await sleep(3000);
    const endAt = Date.now();
    s.clips.eventEnded('ev-full', endAt);
    const view = await settled(s, 'ev-full', 30_000);
    expect(view).toMatchObject({ state: 'ready', truncated: false, reasons: [] });
    if (view.state !== 'ready') return;
    const file = s.clips.access.file('ev-full')!;
    const expected = (endAt + 3000 - (startAt - 4000)) / 1000;
    expect(Math.abs(probeDuration(file) - expected)).toBeLessThanOrEqual(1);
    expect(Math.abs(view.durationMs / 1000 - expected)).toBeLessThanOrEqual(1);
    expect(Math.abs(view.startedAt - (startAt - 4000))).toBeLessThanOrEqual(1000);
    decodes(file);
    expect(file.startsWith(join(s.dir, 'clips', 'cam1'))).toBe(true);
    // No sync record: the outbox never hears of a clip.
    expect((s.db.prepare("SELECT COUNT(*) AS n FROM sync_outbox WHERE payload LIKE '%clip%'").get() as { n: number }).n).toBe(0);
  }, 90_000);

  it('a camera outage during the post-roll gives a shorter clip flagged camera_outage, not a hang', async () => {
    const s = await site('outage', { preRollSeconds: 4, postRollSeconds: 10, segmentSeconds: 2 });
    expect(await waitFor(() => s.clips.access.usage().cameras[0]!.segments >= 3, 30_000)).toBe(true);
    const at = Date.now();
    event(s, 'ev-outage', at);
    await sleep(2000);
    s.clips.eventEnded('ev-outage', Date.now());
    await sim.kill();
    const killedAt = Date.now();
    try {
      // The window ends 10 s after the event; the grace after it is 2 segments + 3 s.
      const view = await settled(s, 'ev-outage', 40_000);
      expect(view).toMatchObject({ state: 'ready', truncated: true });
      if (view.state !== 'ready') return;
      expect(view.reasons).toContain('camera_outage');
      const duration = probeDuration(s.clips.access.file('ev-outage')!);
      expect(duration).toBeLessThan(4 + 2 + 10 - 2);
      expect(Math.abs(duration - (killedAt - (at - 4000)) / 1000)).toBeLessThanOrEqual(2.5);
    } finally {
      await sim.restart();
    }
  }, 90_000);

  it('five events ending together all get their clips (assembled two at a time)', async () => {
    const s = await site('many', { preRollSeconds: 2, postRollSeconds: 2, segmentSeconds: 2 });
    expect(await waitFor(() => s.clips.access.usage().cameras[0]!.segments >= 2, 30_000)).toBe(true);
    const at = Date.now();
    const uids = [1, 2, 3, 4, 5].map((i) => `ev-many-${i}`);
    for (const uid of uids) event(s, uid, at);
    await sleep(1000);
    for (const uid of uids) s.clips.eventEnded(uid, Date.now());
    const views = await Promise.all(uids.map((uid) => settled(s, uid, 30_000)));
    expect(views.map((v) => v.state)).toEqual(uids.map(() => 'ready'));
    expect(new Set(uids.map((uid) => s.clips.access.file(uid))).size).toBe(5);
  }, 60_000);

  it('maxDiskMiB deletes the oldest clips first when a new clip goes over it', async () => {
    const s = await site('bound', { preRollSeconds: 2, postRollSeconds: 2, segmentSeconds: 2, maxDiskMiB: 16 });
    const store = new ClipStore(s.db);
    const old = Date.now() - 3600_000;
    const olds = ['old-a', 'old-b'].map((uid, i) => {
      const path = join(s.dir, 'clips', 'cam1', 'old', `${uid}.mp4`);
      mkdirSync(join(s.dir, 'clips', 'cam1', 'old'), { recursive: true });
      writeFileSync(path, Buffer.alloc(7.9 * MiB));
      s.events.start({ uid, cameraId: 'cam1', type: 'loitering', severity: 'low', at: old + i });
      store.save({ eventUid: uid, cameraId: 'cam1', path, startedAt: old + i, endedAt: old + i + 5000, durationMs: 5000, bytes: 7.9 * MiB, truncated: false, reason: null, createdAt: old + i });
      return path;
    });
    expect(await waitFor(() => s.clips.access.usage().cameras[0]!.segments >= 2, 30_000)).toBe(true);
    event(s, 'ev-new', Date.now());
    s.clips.eventEnded('ev-new', Date.now() + 500);
    expect((await settled(s, 'ev-new', 30_000)).state).toBe('ready');
    // 15.8 MiB + the new clip is over 16 MiB: the oldest goes, the newer old one stays.
    expect(existsSync(olds[0]!)).toBe(false);
    expect(store.ofEvent('old-a')).toBeUndefined();
    expect(existsSync(olds[1]!)).toBe(true);
    expect(s.clips.access.usage().clips.bytes).toBeLessThanOrEqual(16 * MiB);
  }, 60_000);
});

describe('clip retention', () => {
  it('removes clips past clipsDays and those of deleted events (files and rows), and sweeps files no row names', () => {
    const dir = join(root, 'retention');
    const db = openDatabase(join(dir, 'gateway.sqlite'));
    cleanup.push(() => void db.close());
    const events = new EventStore(db);
    const store = new ClipStore(db);
    const now = Date.now();
    const clipsDir = join(dir, 'clips');
    const file = (name: string, ageMs: number) => {
      const day = new Date(now - ageMs).toISOString().slice(0, 10);
      mkdirSync(join(clipsDir, 'cam1', day), { recursive: true });
      const path = join(clipsDir, 'cam1', day, `${name}.mp4`);
      writeFileSync(path, 'x');
      utimesSync(path, (now - ageMs) / 1000, (now - ageMs) / 1000);
      return path;
    };
    const clip = (uid: string, ageMs: number, eventAgeMs = ageMs) => {
      events.start({ uid, cameraId: 'cam1', type: 'loitering', severity: 'low', at: now - eventAgeMs });
      const path = file(uid, ageMs);
      store.save({ eventUid: uid, cameraId: 'cam1', path, startedAt: now - ageMs, endedAt: now - ageMs + 1000, durationMs: 1000, bytes: 1, truncated: false, reason: null, createdAt: now - ageMs });
      return path;
    };
    const expired = clip('old', 8 * DAY_MS);
    const fresh = clip('fresh', DAY_MS);
    const eventGone = clip('gone', 2 * DAY_MS, 40 * DAY_MS);
    const orphan = file('orphan', 3600_000);
    const young = file('being-written', 1000);
    const policy = { eventsDays: 30, statsDays: 90, snapshotsDays: 7, faceCropsDays: 7, auditDays: 365, clipsDays: 7 };
    const result = applyRetention(db, policy, now, { snapshotsDir: null, clipsDir });
    expect(result.clips).toEqual({ removed: 2, orphans: 1, failed: 0 });
    expect([expired, eventGone, orphan].map(existsSync)).toEqual([false, false, false]);
    expect([fresh, young].map(existsSync)).toEqual([true, true]);
    expect(store.ofEvent('old')).toBeUndefined();
    expect(store.ofEvent('gone')).toBeUndefined();
    expect(store.ofEvent('fresh')?.path).toBe(fresh);
    // The emptied day folders of past days are gone too.
    expect(readdirSync(join(clipsDir, 'cam1')).sort()).toEqual([...new Set([fresh, young].map((p) => p.split('/').at(-2)!))].sort());
  });
});

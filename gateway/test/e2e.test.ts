import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-helpers/processes';
import { CameraSimulator } from '../../streams';
import { parseConfig } from '../config';
import { GatewayService } from '../service';
import { integrityOk, openDatabase } from '../store';

const TOKEN = 'e2e-admin-token-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'gw-e2e-'));
let sim: CameraSimulator;
let gateway: GatewayService;

beforeAll(async () => {
  sim = await CameraSimulator.start({ cameras: [{ name: 'hall' }, { name: 'street' }] });
  const config = parseConfig({
    site: { id: 'e2e', name: 'E2E site' },
    cameras: [
      { id: 'hall', url: sim.url('hall'), zones: [{ id: 'line', type: 'queue', points: [[0, 0.35], [0.45, 0.35], [0.45, 1], [0, 1]] }] },
      { id: 'street', url: sim.url('street'), zones: [{ id: 'staff', type: 'restricted', points: [[0.6, 0.3], [1, 0.3], [1, 1], [0.6, 1]] }] },
    ],
    users: [{ name: 'admin', role: 'admin', token: TOKEN }],
    storage: { dataDir: dir },
    api: { host: '127.0.0.1', port: 0 },
  });
  gateway = await GatewayService.start(config, pino({ level: 'warn' }));
});
let stopped = false;
afterAll(async () => {
  if (!stopped) await gateway?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};

describe('gateway end to end (simulator RTSP -> ffmpeg -> models -> tracker -> rules -> SQLite -> HTTP API)', () => {
  it('tracks people, counts the queue zone and raises a restricted-zone incident listing the people walking through', async () => {
    type Cameras = { cameras: Array<{ camera: { cameraId: string; state: string }; zones: Array<{ zoneId: string; count: number }>; detectedFrames: number }> };
    expect(await waitFor(() => gateway.pipelines.every((p) => p.live().camera.state === 'streaming'), 30_000)).toBe(true);
    type Events = { items: Array<{ type: string; cameraId: string; zoneId: string; trackId: number | null; data: { incident?: boolean; total?: number; people?: Array<{ trackId: number }> } }> };
    let events: Events = { items: [] };
    const seenCounts: number[] = [];
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const cams = await api<Cameras>('/api/cameras');
      seenCounts.push(cams.cameras.find((c) => c.camera.cameraId === 'hall')!.zones[0]!.count);
      await gateway.flush();
      events = await api<Events>('/api/events?type=restricted_zone_entry');
      if (events.items.some((e) => (e.data.total ?? 0) >= 2) && seenCounts.some((c) => c > 0)) break;
    }
    console.info(`queue zone counts seen: ${seenCounts.join(' ')}; restricted incidents: ${events.items.map((e) => e.data.total).join(', ')} people`);
    // One incident per occupancy episode (not one event per track), listing everyone who entered.
    expect(events.items.length).toBeGreaterThanOrEqual(1);
    expect(events.items.every((e) => e.cameraId === 'street' && e.zoneId === 'staff' && e.trackId === null && e.data.incident === true)).toBe(true);
    const people = events.items.flatMap((e) => e.data.people ?? []);
    expect(people.length).toBeGreaterThanOrEqual(2);
    expect(people.every((p) => p.trackId > 0)).toBe(true);
    expect(Math.max(...seenCounts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...seenCounts)).toBeLessThanOrEqual(8);
    expect(gateway.pipelines.every((p) => p.live().detectedFrames > 0)).toBe(true);
  });

  it('keeps the SQLite file consistent while running', () => {
    const db = openDatabase(join(dir, 'gateway.sqlite'));
    expect(integrityOk(db)).toBe(true);
    const { n } = db.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number };
    expect(n).toBeGreaterThan(0);
    expect(db.prepare('SELECT id, state FROM cameras ORDER BY id').all()).toEqual([
      { id: 'hall', state: 'streaming' },
      { id: 'street', state: 'streaming' },
    ]);
    const snaps = db.prepare("SELECT s.path, s.blurred_path AS blurred FROM snapshots s JOIN events e ON e.id = s.event_id WHERE e.type = 'restricted_zone_entry'").all() as Array<{ path: string; blurred: string }>;
    expect(snaps.length).toBeGreaterThanOrEqual(1);
    expect(readFileSync(snaps[0]!.path).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(readFileSync(snaps[0]!.blurred).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    db.close();
  });

  it('writes a summary of every track (zone visits, best view) and loses none when it stops', async () => {
    await gateway.stop();
    stopped = true;
    const db = openDatabase(join(dir, 'gateway.sqlite'));
    // Everyone who entered the restricted zone has a track summary with that visit, closed at the latest on stop.
    const tracks = db.prepare("SELECT track_id, first_seen, last_seen, zones, best FROM tracks WHERE camera_id = 'street'").all() as Array<{ first_seen: number; last_seen: number; zones: string; best: string }>;
    expect(tracks.length).toBeGreaterThanOrEqual(1);
    expect(tracks.every((t) => t.last_seen >= t.first_seen && (JSON.parse(t.best) as { score: number }).score > 0)).toBe(true);
    const visits = tracks.flatMap((t) => JSON.parse(t.zones) as Array<{ zoneId: string; enter: number; exit?: number }>);
    expect(visits.some((v) => v.zoneId === 'staff' && v.exit !== undefined && v.exit > v.enter)).toBe(true);
    db.close();
  });
});

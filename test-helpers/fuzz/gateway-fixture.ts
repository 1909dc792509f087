import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import sharp from 'sharp';
import { FaceEngine } from '../../models';
import { createApi, LiveEventBus, TokenRegistry } from '../../gateway/api';
import { createCameraAdmin, DiscoveryConfigSchema, type CameraAdmin } from '../../gateway/discovery';
import { SESSION_COOKIE } from '../../gateway/api/session-auth';
import { CameraConfigSchema, ROLES, type CameraConfig, type Role } from '../../gateway/config';
import { cameraZoneControl } from '../../gateway/pipeline/zone-control';
import { AuditLog, EventStore, gatewayStores, openDatabase, UserStore, type Db } from '../../gateway/store';
import { WatchlistStore } from '../../gateway/watchlist';

export const fuzzToken = (role: Role): string => `fuzz-${role}-token-0123456789abcdefghij`;
/** The origin app.request gives a request (http://localhost/...). */
export const GATEWAY_ORIGIN = 'http://localhost';

/** The peer address the API reads from node-server's env: each fixture login gets its own, so fuzzed logins cannot throttle it. */
type PeerEnv = { incoming: { socket: { remoteAddress: string } } };
const peer = (address: string): PeerEnv => ({ incoming: { socket: { remoteAddress: address } } });

export interface GatewayFuzzFixture {
  /** The API in process (Hono's app.request); `address` is the peer address the API sees. */
  request(path: string, init: RequestInit, address?: string): Promise<Response>;
  dbFile: string;
  db: Db;
  /** An event with a snapshot (blurred and original on disk). */
  eventId: number;
  cameraId: string;
  /** A run-time user the fuzz may delete. */
  decoyUser: string;
  /** A run-time user with a dashboard password. */
  passwordUser: { name: string; password: string };
  /** A new dashboard session of `role`'s configured user (logged in through the API); its cookie value. */
  openSession(role: Role): Promise<string>;
  takeLoggedErrors(): string[];
  close(): Promise<void>;
}

/**
 * The gateway API the way the service builds it, over a SQLite file in a temp dir, with one
 * configured user per role (`<role>1`), the real face engine, a camera with zones (so the zone
 * editor and queue board answer instead of 503) and a still-frame source.
 */
export async function startGatewayFuzzFixture(): Promise<GatewayFuzzFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-fuzz-'));
  const dbFile = join(dir, 'gateway.sqlite');
  const db = openDatabase(dbFile);
  const events = new EventStore(db);
  const users = new UserStore(db);
  const now = Date.now();
  const cameraId = 'cam1';
  const eventId = events.start({ uid: 'fuzz-e1', cameraId, zoneId: 'door', type: 'restricted_zone_entry', severity: 'high', at: now - 1000, trackId: 7 });
  for (let i = 0; i < 5; i++) events.start({ uid: `fuzz-q${i}`, cameraId: 'cam2', zoneId: 'line', type: 'queue_long', severity: 'medium', at: now - 60_000 + i });
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 90, g: 120, b: 150 } } }).jpeg().toBuffer();
  mkdirSync(join(dir, 'snapshots'));
  const [original, blurred] = [join(dir, 'snapshots', 'e1.jpg'), join(dir, 'snapshots', 'e1-blurred.jpg')];
  writeFileSync(original, jpeg);
  writeFileSync(blurred, jpeg);
  db.prepare('INSERT INTO snapshots (event_id, camera_id, taken_at, path, blurred_path) VALUES (?, ?, ?, ?, ?)').run(eventId, cameraId, now, original, blurred);
  db.prepare('INSERT INTO queue_stats (camera_id, zone_id, minute, avg_count, max_count, departures, est_wait_s, occupied_ratio) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('cam2', 'line', Math.floor(now / 60_000) - 1, 3.5, 5, 2, 120, null);
  const decoyUser = 'fuzz-decoy';
  const passwordUser = { name: 'fuzz-pw', password: 'fuzz-password-1' };
  await users.create(decoyUser, 'ops', now);
  await users.create(passwordUser.name, 'security', now, passwordUser.password);

  const cameras: CameraConfig[] = [
    CameraConfigSchema.parse({
      id: cameraId,
      url: 'rtsp://127.0.0.1:1/none',
      zones: [
        { id: 'line', type: 'queue', points: [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9]] },
        { id: 'door', type: 'restricted', points: [[0, 0], [0.2, 0], [0.2, 0.2]] },
      ],
    }),
  ];
  const realAdmin = createCameraAdmin({
    db,
    fileCameras: cameras,
    startCamera: () => undefined,
    log: { info: () => undefined, warn: () => undefined },
    // Port 9 (discard) on loopback: nothing answers, a probe is an empty list after 200 ms.
    config: DiscoveryConfigSchema.parse({ probeAddress: '127.0.0.1', probePort: 9, timeoutMs: 200 }),
  });
  // The real admin over this database (validation, store, audit), with the two network calls replaced so no fuzz request reaches a device or a stream.
  const cameraAdmin: CameraAdmin = {
    ...realAdmin,
    device: async (login) => ({ xaddr: login.xaddr, manufacturer: 'Fuzz', model: 'F1', firmware: '1', serial: '1', hardware: 'F1', profiles: [] }),
    still: async () => jpeg,
  };
  const logged: string[] = [];
  let engine: Promise<FaceEngine> | undefined;
  const app = createApi({
    ...gatewayStores(db),
    events,
    audit: new AuditLog(db),
    tokens: new TokenRegistry(ROLES.map((role) => ({ name: `${role}1`, role, token: fuzzToken(role) })), (d) => users.byDigest(d)),
    users,
    metrics: new Registry(),
    cameras: () => [{ cameraId, state: 'streaming' }],
    bodyLimitBytes: 8 * 2 ** 20,
    liveEvents: new LiveEventBus(),
    liveIntervalMs: 50,
    watchlist: new WatchlistStore(db),
    faceEngine: () => (engine ??= FaceEngine.create({ session: { intraOpThreads: 1 } })),
    version: 'fuzz',
    log: { error: (obj) => logged.push(String((obj as { err?: Error }).err?.stack?.split('\n').slice(0, 2).join(' ') ?? JSON.stringify(obj))) },
    cameraZones: cameraZoneControl(cameras, []),
    cameraConfigs: () => cameras,
    cameraStill: async () => jpeg,
    cameraAdmin,
  });
  const request = async (path: string, init: RequestInit, address = 'fuzz-peer'): Promise<Response> => app.request(path, init, peer(address));
  let logins = 0;
  return {
    request,
    dbFile,
    db,
    eventId,
    cameraId,
    decoyUser,
    passwordUser,
    async openSession(role) {
      logins += 1;
      const res = await request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json', origin: GATEWAY_ORIGIN }, body: JSON.stringify({ token: fuzzToken(role) }) }, `fixture-login-${logins}`);
      const cookie = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(res.headers.get('set-cookie') ?? '')?.[1];
      if (res.status !== 200 || !cookie) throw new Error(`fixture login as ${role}: ${res.status} ${await res.text()}`);
      return cookie;
    },
    takeLoggedErrors: () => logged.splice(0),
    async close() {
      await (await engine)?.dispose();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

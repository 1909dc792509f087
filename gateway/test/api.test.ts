import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-helpers/processes';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { FaceEngine } from '../../models';
import { mediaPath } from '../../test-helpers/media';
import { createApi, LiveEventBus, ROUTES, TokenRegistry } from '../api';
import { WatchlistStore } from '../watchlist';
import { saveSnapshot } from '../snapshots';
import { videoFrame } from '../../test-helpers/media';
import { ROLES, type Role } from '../config';
import { AuditLog, EventStore, gatewayStores, openDatabase, UserStore } from '../store';

const dir = mkdtempSync(join(tmpdir(), 'gw-api-'));
const token = (role: Role) => `${role}-token-0123456789abcdefghij`;
let server: ServerType;
let base: string;
let eventId: number;
let engine: Promise<FaceEngine> | undefined;
const bus = new LiveEventBus();

beforeAll(async () => {
  portrait = ['portrait.jpg', await sharp(mediaPath('astronaut.png')).jpeg({ quality: 80 }).toBuffer()];
  const db = openDatabase(join(dir, 'api.sqlite'));
  const events = new EventStore(db);
  const users = new UserStore(db);
  eventId = events.start({ uid: 'e1', cameraId: 'cam1', zoneId: 'door', type: 'restricted_zone_entry', severity: 'high', at: Date.now() - 1000 });
  for (let i = 0; i < 30; i++) events.start({ uid: `q${i}`, cameraId: 'cam2', type: 'queue_long', severity: 'medium', at: Date.now() - 60_000 + i });
  const frame = videoFrame('vtest.avi', 0);
  const boxes = [{ x1: 240, y1: 210, x2: 300, y2: 330 }, { x1: 495, y1: 150, x2: 540, y2: 250 }];
  const insert = db.prepare('INSERT INTO snapshots (event_id, camera_id, taken_at, path, blurred_path) SELECT id, ?, 0, ?, ? FROM events WHERE uid = ?');
  for (const uid of ['e1', 'q0']) {
    const saved = await saveSnapshot(join(dir, 'snapshots'), uid, frame, boxes);
    insert.run('cam', saved.path, saved.blurredPath, uid);
  }
  db.prepare('INSERT INTO queue_stats (camera_id, zone_id, minute, avg_count, max_count, departures, est_wait_s, occupied_ratio) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('cam2', 'line', Math.floor(Date.now() / 60_000) - 1, 3.5, 5, 2, 120, null);
  const app = createApi({
    ...gatewayStores(db),
    events,
    audit: new AuditLog(db),
    tokens: new TokenRegistry(ROLES.map((role) => ({ name: `${role}1`, role, token: token(role) })), (d) => users.byDigest(d)),
    users,
    metrics: new Registry(),
    cameras: () => [{ cameraId: 'cam1', state: 'streaming' }],
    bodyLimitBytes: 8 * 2 ** 20,
    liveEvents: bus,
    liveIntervalMs: 200,
    watchlist: new WatchlistStore(db),
    faceEngine: () => (engine ??= FaceEngine.create({ session: { intraOpThreads: 2 } })),
    version: 'test',
    log: { error: () => undefined },
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await (await engine)?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, role?: Role | 'bad', body?: unknown, raw?: string) =>
  fetch(`${base}${path}`, {
    method,
    headers: {
      ...(role ? { authorization: `Bearer ${role === 'bad' ? 'not-a-real-token-xxxxxxxxxxxx' : token(role)}` } : {}),
      ...((body !== undefined && !(body instanceof FormData)) || raw !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body instanceof FormData ? { body } : body !== undefined ? { body: JSON.stringify(body) } : raw !== undefined ? { body: raw } : {}),
  });

const photoForm = (name: string, ...photos: Array<[string, Buffer]>) => {
  const form = new FormData();
  form.set('name', name);
  for (const [file, bytes] of photos) form.append('photo', new Blob([bytes]), file);
  return form;
};
const photo = (name: Parameters<typeof mediaPath>[0]): [string, Buffer] => [name, readFileSync(mediaPath(name))];
/** A small JPEG of one face, so refused uploads are cheap to send. */
let portrait: [string, Buffer];

const UNKNOWN_PERSON = '00000000-0000-4000-8000-000000000000';
const concrete = (path: string) => path.replace(':id', path.startsWith('/api/watchlist') ? UNKNOWN_PERSON : String(eventId)).replace(':name', 'nobody');
let matrixUser = 0;
const sampleBody = (method: string, path: string) =>
  path.endsWith('/review')
    ? { action: 'comment', comment: 'checked' }
    : method === 'POST' && (path === '/api/watchlist' || path === '/api/watchlist/preview')
      ? photoForm('Matrix', portrait)
      : method === 'POST' && path === '/api/users'
        ? { name: `matrix${matrixUser++}`, role: 'ops' }
        : path === '/api/login'
          ? { token: token('ops') }
          : undefined;
/** What an allowed caller gets from the matrix's sample request. */
const okStatus = (method: string, path: string, role: Role) =>
  path === '/api/queues/zones' || path === '/api/cameras/:id/still' || path === '/api/cameras/:id/zones' || path.startsWith('/api/admin/') // these deps have no camera configuration, streams or camera admin
    ? 503
    : path === '/api/watchlist/:id' || path === '/api/users/:name' || path === '/api/events/:id/face-crop' || path === '/api/events/:id/clip' || (path === '/api/events/:id/snapshot' && role === 'supervisor')
    ? 404
    : method === 'POST' && (path === '/api/watchlist' || path === '/api/users')
      ? 201
      : 200;

describe('API role matrix', () => {
  for (const route of ROUTES) {
    it(`${route.method} ${route.path}`, async () => {
      const path = concrete(route.path);
      for (const role of ROLES) {
        const res = await call(route.method, path, role, sampleBody(route.method, route.path));
        const may = route.public || role === 'admin' || route.roles.includes(role);
        expect(res.status, `${role}`).toBe(may ? okStatus(route.method, route.path, role) : 403);
        await res.body?.cancel();
      }
      const anonymous = await call(route.method, path, undefined, sampleBody(route.method, route.path));
      expect(anonymous.status, 'no token').toBe(route.public ? 200 : 401);
      const bad = await call(route.method, path, 'bad', sampleBody(route.method, route.path));
      expect(bad.status, 'unknown token').toBe(route.public ? 200 : 401);
    });
  }
});

describe('watchlist API', () => {
  it('enrols a person from photos, audits every read, and removes them', async () => {
    const res = await call('POST', '/api/watchlist', 'security', photoForm('Astronaut', photo('astronaut.png'), photo('astronaut.png')));
    expect(res.status).toBe(201);
    const person = (await res.json()) as { id: string; name: string; photos: number; createdBy: string };
    expect(person).toMatchObject({ name: 'Astronaut', photos: 2, createdBy: 'security1' });
    const one = await call('GET', `/api/watchlist/${person.id}`, 'security');
    expect(one.status).toBe(200);
    const audit = (await (await call('GET', '/api/audit', 'admin')).json()) as { entries: Array<{ user: string; subject: string }> };
    expect(audit.entries.some((e) => e.user === 'security1' && e.subject === `/api/watchlist/${person.id}`)).toBe(true);
    expect((await call('DELETE', `/api/watchlist/${person.id}`, 'security')).status).toBe(200);
    expect((await call('GET', `/api/watchlist/${person.id}`, 'security')).status).toBe(404);
  });

  it('refuses photos with no face, several faces, no image or too many bytes, naming the photo', async () => {
    const cases: Array<[FormData, number, RegExp]> = [
      [photoForm('Cup', photo('coffee.png')), 422, /photo\[0\]: no face found/],
      [photoForm('Players', photo('astronaut.png'), photo('basketball1.png')), 422, /photo\[1\]: 2 faces found/],
      [photoForm('Noise', ['noise.jpg', Buffer.from('definitely not a jpeg')]), 415, /photo\[0\] is not an image/],
      [photoForm('Huge', ['huge.jpg', Buffer.alloc(7 * 2 ** 20)]), 413, /photo\[0\] is \d+ bytes/],
      [photoForm('', photo('astronaut.png')), 400, /body name/],
      [photoForm('Nobody'), 400, /at least one photo/],
    ];
    for (const [form, status, message] of cases) {
      const res = await call('POST', '/api/watchlist', 'security', form);
      const body = (await res.json()) as { error: string };
      expect(res.status, body.error).toBe(status);
      expect(body.error).toMatch(message);
    }
    const json = await call('POST', '/api/watchlist', 'security', { name: 'x' });
    expect(json.status).toBe(415);
  });
});

describe('users created by an admin', () => {
  it('gives a token once, which works for the role until the user is removed', async () => {
    const created = await call('POST', '/api/users', 'admin', { name: 'guard7', role: 'security' });
    expect(created.status).toBe(201);
    const { token: guardToken } = (await created.json()) as { token: string };
    const asGuard = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${guardToken}` } });
    expect((await asGuard('/api/events')).status).toBe(200);
    expect((await asGuard('/api/users')).status).toBe(403);
    const listed = (await (await call('GET', '/api/users', 'admin')).json()) as { users: Array<{ name: string; role: string }> };
    expect(listed.users).toContainEqual(expect.objectContaining({ name: 'guard7', role: 'security' }));
    expect(JSON.stringify(listed)).not.toContain(guardToken);
    expect((await call('POST', '/api/users', 'admin', { name: 'guard7', role: 'ops' })).status).toBe(409);
    expect((await call('POST', '/api/users', 'admin', { name: 'security1', role: 'ops' })).status).toBe(409);
    expect((await call('POST', '/api/users', 'admin', { name: 'x', role: 'root' })).status).toBe(400);
    expect((await call('DELETE', '/api/users/guard7', 'admin')).status).toBe(200);
    expect((await asGuard('/api/events')).status).toBe(401);
  });
});

describe('event snapshots', () => {
  it('gives security the original (audited) and supervisors a copy with heads blurred', async () => {
    const list = (await (await call('GET', '/api/events?type=queue_long&limit=500', 'security')).json()) as { items: Array<{ id: number; uid: string }> };
    const queueEvent = list.items.find((e) => e.uid === 'q0')!.id;
    const original = Buffer.from(await (await call('GET', `/api/events/${queueEvent}/snapshot`, 'security')).arrayBuffer());
    const blurredRes = await call('GET', `/api/events/${queueEvent}/snapshot`, 'supervisor');
    expect(blurredRes.headers.get('content-type')).toBe('image/jpeg');
    const blurred = Buffer.from(await blurredRes.arrayBuffer());
    const head = { left: 245, top: 214, width: 50, height: 26 }; // inside the box, clear of its drawn edges
    const legs = { left: 250, top: 280, width: 40, height: 40 };
    const difference = async (region: typeof head) => {
      const [x, y] = await Promise.all([original, blurred].map((j) => sharp(j).extract(region).greyscale().raw().toBuffer()));
      return x!.reduce((acc, v, i) => acc + Math.abs(v - y![i]!), 0) / x!.length;
    };
    const [headDiff, legsDiff] = [await difference(head), await difference(legs)];
    console.info(`mean |original - blurred|: head ${headDiff.toFixed(1)}, legs ${legsDiff.toFixed(1)}`);
    expect(headDiff).toBeGreaterThan(4);
    expect(legsDiff).toBeLessThan(2);
    const audit = (await (await call('GET', '/api/audit', 'admin')).json()) as { entries: Array<{ action: string; subject: string; user: string }> };
    expect(audit.entries).toContainEqual(expect.objectContaining({ action: 'view_original_snapshot', subject: `event:${queueEvent}`, user: 'security1' }));
    expect((await call('GET', `/api/events/${eventId}/snapshot`, 'supervisor')).status).toBe(404);
  });
});

describe('live feed (SSE)', () => {
  it('streams live counts and only the events the role may see', async () => {
    const res = await call('GET', '/api/live', 'supervisor');
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += decoder.decode((await reader.read()).value);
    };
    await readUntil(/event: counts\ndata: .*"cameras"/);
    expect(bus.subscribers).toBe(1);
    bus.publish({ uid: 'r', cameraId: 'cam1', type: 'restricted_zone_entry', severity: 'high', at: 1 });
    bus.publish({ uid: 'q', cameraId: 'cam2', type: 'queue_long', severity: 'medium', at: 2 });
    await readUntil(/event: event\ndata: .*"uid":"q"/);
    expect(text).not.toContain('"uid":"r"');
    await reader.cancel();
    expect(await waitFor(() => bus.subscribers === 0, 3000)).toBe(true);
  });
});

describe('API behaviour', () => {
  it('pages events with a cursor and filters them', async () => {
    const first = (await (await call('GET', '/api/events?type=queue_long&limit=20', 'security')).json()) as { items: unknown[]; nextCursor: string };
    expect(first.items).toHaveLength(20);
    const second = (await (await call('GET', `/api/events?type=queue_long&limit=20&cursor=${first.nextCursor}`, 'security')).json()) as { items: unknown[]; nextCursor: null };
    expect(second.items).toHaveLength(10);
    expect(second.nextCursor).toBeNull();
  });

  it('records a review with the user and when', async () => {
    const res = await call('POST', `/api/events/${eventId}/review`, 'security', { action: 'acknowledge' });
    const event = (await res.json()) as { reviewState: string; reviews: Array<{ user: string; action: string; at: number }> };
    expect(event.reviewState).toBe('acknowledged');
    expect(event.reviews.at(-1)).toMatchObject({ user: 'security1', action: 'acknowledge' });
  });

  it('serves queue stats, metrics and an OpenAPI document listing every route', async () => {
    const stats = (await (await call('GET', '/api/queues/stats?camera=cam2', 'supervisor')).json()) as { series: Array<{ zone: string; maxCount: number }> };
    expect(stats.series).toEqual([expect.objectContaining({ zone: 'line', maxCount: 5 })]);
    const doc = (await (await call('GET', '/api/openapi.json', 'ops')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/events/{id}');
  });

  it('answers bad input with a 4xx JSON error that names the field, never a 5xx', async () => {
    const cases: Array<[string, string, unknown?, string?]> = [
      ['GET', '/api/events?limit=abc'],
      ['GET', '/api/events?severity=extreme'],
      ['GET', '/api/events?cursor=%27%3B%20DROP%20TABLE%20events%3B--'],
      ['GET', '/api/events?unknown=1'],
      ['GET', '/api/events/abc'],
      ['GET', '/api/events/999999'],
      ['GET', '/api/events/..%2F..%2Fetc%2Fpasswd'],
      ['GET', '/../../etc/passwd'],
      ['POST', `/api/events/${eventId}/review`, { action: 'delete' }],
      ['POST', `/api/events/${eventId}/review`, { action: 'comment' }],
      ['POST', `/api/events/${eventId}/review`, { action: 'comment', comment: 'x', extra: true }],
      ['POST', `/api/events/${eventId}/review`, [1, 2, 3]],
      ['POST', `/api/events/${eventId}/review`, undefined, '{"action": '],
      ['POST', `/api/events/${eventId}/review`, { action: 'comment', comment: 'x'.repeat(100_000) }],
      ['POST', `/api/events/${eventId}/review`, { action: 12 }],
    ];
    for (const [method, path, body, raw] of cases) {
      const res = await call(method, path, 'admin', body, raw);
      const text = await res.text();
      expect(res.status, `${method} ${path} ${raw ?? JSON.stringify(body)?.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(JSON.parse(text)).toHaveProperty('error');
      expect(text).not.toMatch(/at .*\.ts:\d+/);
    }
    const injected = await call('GET', `/api/events?camera=${encodeURIComponent("' OR 1=1 --")}`, 'admin');
    expect(injected.status).toBe(200);
    expect(((await injected.json()) as { items: unknown[] }).items).toHaveLength(0);
    const named = (await (await call('GET', '/api/events?severity=extreme', 'admin')).json()) as { field: string };
    expect(named.field).toBe('severity');
    const big = await call('POST', `/api/events/${eventId}/review`, 'admin', { action: 'comment', comment: 'x'.repeat(9 * 2 ** 20) });
    expect(big.status).toBe(413);
    const count = (await (await call('GET', '/api/events?limit=500', 'admin')).json()) as { items: unknown[] };
    expect(count.items.length).toBe(31);
  });
});


import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { PATHS, type SyncRecord } from '../wire';
import { ADMIN_TOKEN, api, batch, BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, TestClock, useDatabases, type TestGateway } from './helpers/central';
import { rawQuery } from './helpers/raw-sql';

const dbs = useDatabases();
const MIN = 60_000;
/** Not a real JPEG: the route serves the stored bytes as they are. */
const CROP = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 2, 3, 4, 5]);
const CROP_B64 = CROP.toString('base64');
const LATER_CROP = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 9, 9, 9]);

interface Ev {
  id: number;
  uid: string;
  siteId: string;
  startedAt: number;
  endedAt: number | null;
  data: Record<string, unknown>;
  hasFaceCrop: boolean;
}
interface Entry {
  seq: number;
  phase: string;
  at: number;
  data: Record<string, unknown>;
  hasFaceCrop: boolean;
}

const event = (seq: number, uid: string, at: number, data: Record<string, unknown> = {}, type = 'loitering'): SyncRecord => ({
  seq,
  kind: 'event',
  at,
  payload: { uid, cameraId: 'cam1', zoneId: 'z1', type, severity: 'high', at, data },
});
const update = (seq: number, uid: string, at: number, phase: 'update' | 'end', data: Record<string, unknown>): SyncRecord => ({ seq, kind: 'event_update', at, payload: { uid, at, phase, data } });

describe.each(BACKENDS)('event detail, face crops and live arrivals on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  let url: string;
  let gw: TestGateway;
  let other: TestGateway;
  const clock = new TestClock();
  const tokens = { security: '', ops: '' };
  const t0 = Date.now() - 60 * MIN;
  const ingest = (g: TestGateway, records: SyncRecord[]) => sendSigned(server.url, PATHS.ingest, g, batch(g.id, records));
  const get = (path: string, token = tokens.security) => api(server.url, 'GET', path, token);
  const idOf = async (uid: string) => ((await get('/v1/events?limit=1000')).json.events as Ev[]).find((e) => e.uid === uid)!.id;

  beforeAll(async () => {
    url = await dbs.fresh(backend);
    server = await startTestServer(url, { now: clock.now, acceptFaceCrops: true });
    gw = await enrolGateway(server.url, 'site-a');
    other = await enrolGateway(server.url, 'site-b');
    for (const role of ['security', 'ops'] as const) tokens[role] = String((await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: `${role}-user`, role })).json.token);
  });
  afterAll(() => server?.close());

  it('answers one event with its site and gateway names and its updates in seq order, also an update that came before its event', async () => {
    // The end arrives first (a reordered resend): central holds it and applies it when the event comes.
    expect((await ingest(gw, [update(3, 'walk', t0 + 3000, 'end', { dwellS: 40 })])).json).toMatchObject({ stored: 1 });
    expect((await ingest(gw, [event(1, 'walk', t0, { dwellS: 0 }), update(2, 'walk', t0 + 1000, 'update', { dwellS: 20 }), event(4, 'other', t0 + 5)])).json).toMatchObject({ stored: 3 });
    const id = await idOf('walk');
    const { status, json } = await get(`/v1/events/${id}`);
    expect(status).toBe(200);
    expect(json.event).toMatchObject({ id, uid: 'walk', siteId: 'site-a', siteName: 'Site site-a', gatewayId: gw.id, startedAt: t0, endedAt: t0 + 3000, data: { dwellS: 40 }, hasFaceCrop: false });
    expect((json.event as { gatewayName: unknown }).gatewayName).toEqual(expect.any(String));
    expect((json.updates as Entry[]).map((u) => [u.seq, u.phase, u.at, u.data])).toEqual([
      [1, 'start', t0, { dwellS: 0 }],
      [2, 'update', t0 + 1000, { dwellS: 20 }],
      [3, 'end', t0 + 3000, { dwellS: 40 }],
    ]);
    // The other event of the same gateway has only its start.
    expect(((await get(`/v1/events/${await idOf('other')}`)).json.updates as Entry[]).map((u) => u.phase)).toEqual(['start']);
  });

  it('answers 404 naming id for an unknown event and 400 naming id for a malformed one; ops may not read events', async () => {
    expect(await get('/v1/events/999999')).toMatchObject({ status: 404, json: { field: 'id' } });
    for (const bad of ['abc', '0', '-1', '1.5', '12345678901234567']) expect(await get(`/v1/events/${bad}`)).toMatchObject({ status: 400, json: { field: 'id' } });
    expect((await get(`/v1/events/${await idOf('walk')}`, tokens.ops)).status).toBe(403);
    expect((await get(`/v1/events/${await idOf('walk')}`, 'nope')).status).toBe(401);
    // Neither route takes query parameters.
    expect(await get(`/v1/events/${await idOf('walk')}?full=1`)).toMatchObject({ status: 400, json: { field: 'full' } });
    expect(await get(`/v1/events/${await idOf('walk')}/face-crop?size=big`)).toMatchObject({ status: 400, json: { field: 'size' } });
  });

  it('never puts a face crop in the list or the detail, serves it to security and admin only, and audits each viewer once a minute', async () => {
    await ingest(gw, [event(5, 'face', t0 + 10, { personId: 'p1', faceCrop: CROP_B64, score: 0.9 }, 'watchlist_match'), update(6, 'face', t0 + 20, 'update', { faceCrop: LATER_CROP.toString('base64'), score: 0.95 })]);
    const list = await get('/v1/events?type=watchlist_match');
    expect(JSON.stringify(list.json)).not.toContain('"faceCrop"');
    expect(list.json.events).toEqual([expect.objectContaining({ uid: 'face', hasFaceCrop: true, identityWithheld: true, data: { score: 0.95 } })]);
    const id = (list.json.events as Ev[])[0]!.id;
    const detail = await get(`/v1/events/${id}`);
    const text = JSON.stringify(detail.json);
    expect(text).not.toContain('"faceCrop"');
    expect(text).not.toContain(CROP_B64);
    expect(detail.json.event).toMatchObject({ hasFaceCrop: true, data: { personId: 'p1', score: 0.95 } });
    expect((detail.json.updates as Entry[]).map((u) => [u.phase, u.hasFaceCrop, u.data])).toEqual([
      ['start', true, { personId: 'p1', score: 0.9 }],
      ['update', true, { score: 0.95 }],
    ]);

    const crop = (token: string) => fetch(`${server.url}/v1/events/${id}/face-crop`, { headers: { authorization: `Bearer ${token}` } });
    expect((await crop(tokens.ops)).status).toBe(403);
    const audits = async () => rawQuery(url, "SELECT actor, action, target, detail FROM audit_log WHERE action = 'view_face_crop' ORDER BY id");
    expect(await audits()).toEqual([]);
    const seen = await crop(tokens.security);
    expect(seen.status).toBe(200);
    expect(seen.headers.get('content-type')).toBe('image/jpeg');
    expect(seen.headers.get('cache-control')).toContain('no-store');
    // The event's latest crop (the update's).
    expect(Buffer.from(await seen.arrayBuffer())).toEqual(LATER_CROP);
    const first = await audits();
    // The actor names the kind and id as well as the name (a token named like a user does not read as that user).
    expect(first.map((r) => [r.actor, r.action, r.target])).toEqual([[expect.stringMatching(/^token:\d+:security-user$/), 'view_face_crop', `event:${id}`]]);
    const guard = String(first[0]!.actor);
    const detailOf = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(detailOf(first[0]!.detail)).toEqual({ site: 'site-a', gateway: gw.id, uid: 'face' });
    // The same viewer again within the minute: no second row; another viewer (admin) gets one.
    expect((await crop(tokens.security)).status).toBe(200);
    expect(await audits()).toHaveLength(1);
    expect((await crop(ADMIN_TOKEN)).status).toBe(200);
    expect((await audits()).map((r) => r.actor)).toEqual([guard, 'bootstrap']);
    clock.offsetMs = 2 * MIN;
    expect((await crop(tokens.security)).status).toBe(200);
    expect((await audits()).map((r) => r.actor)).toEqual([guard, 'bootstrap', guard]);
    clock.offsetMs = 0;
    // Stored bytes that are not a JPEG (here an SVG) are not served as one, and their refusal is not a viewing.
    await ingest(gw, [event(40, 'svg', t0 + 30, { faceCrop: Buffer.from('<svg onload="alert(1)"/>').toString('base64') }, 'watchlist_match')]);
    const svg = await fetch(`${server.url}/v1/events/${await idOf('svg')}/face-crop`, { headers: { authorization: `Bearer ${tokens.security}` } });
    expect(svg.status).toBe(422);
    expect(await svg.json()).toMatchObject({ field: 'id' });
    expect(await audits()).toHaveLength(3);
    expect(seen.headers.get('x-content-type-options')).toBe('nosniff');
    // An event without a crop: 404 naming id.
    const plain = await fetch(`${server.url}/v1/events/${await idOf('walk')}/face-crop`, { headers: { authorization: `Bearer ${tokens.security}` } });
    expect(plain.status).toBe(404);
    expect(await plain.json()).toMatchObject({ field: 'id' });
  });

  it("withholds a watchlist match's person from lists, shows it in the detail, and audits each viewer of it once a minute", async () => {
    await ingest(gw, [event(50, 'who', t0 + 40, { personId: 'p7', person: 'Nguyễn Văn A', similarity: 0.81 }, 'watchlist_match'), update(51, 'who', t0 + 41, 'end', {})]);
    const listed = ((await get('/v1/events?type=watchlist_match&limit=1000')).json.events as Array<Ev & { identityWithheld: boolean }>).find((e) => e.uid === 'who')!;
    expect(listed).toMatchObject({ identityWithheld: true, data: { similarity: 0.81 } });
    expect(JSON.stringify(listed)).not.toMatch(/p7|Nguyễn|person/);
    const views = async () => (await rawQuery(url, "SELECT actor, target FROM audit_log WHERE action = 'view_watchlist_match' ORDER BY id")).filter((r) => r.target === `event:${listed.id}`);
    expect(await views()).toEqual([]);
    const detail = await get(`/v1/events/${listed.id}`);
    expect(detail.json.event).toMatchObject({ data: { personId: 'p7', person: 'Nguyễn Văn A', similarity: 0.81 } });
    expect((await views()).map((r) => [r.actor, r.target])).toEqual([[expect.stringMatching(/^token:\d+:security-user$/), `event:${listed.id}`]]);
    // Read again within the minute: no second row; an event without a person writes none.
    await get(`/v1/events/${listed.id}`);
    expect(await views()).toHaveLength(1);
    const walk = await idOf('walk');
    await get(`/v1/events/${walk}`);
    expect(await rawQuery(url, `SELECT id FROM audit_log WHERE target = 'event:${walk}'`)).toEqual([]);
  });

  it('refuses face crops with a clear 404 when the central does not accept them', async () => {
    const strict = await startTestServer(await dbs.fresh(backend));
    try {
      const g = await enrolGateway(strict.url, 'site-s');
      await sendSigned(strict.url, PATHS.ingest, g, batch(g.id, [event(1, 'face', t0, { personId: 'p1', faceCrop: CROP_B64 }, 'watchlist_match')]));
      const listed = (await api(strict.url, 'GET', '/v1/events', ADMIN_TOKEN)).json.events as Ev[];
      expect(listed).toEqual([expect.objectContaining({ uid: 'face', hasFaceCrop: false, identityWithheld: true, data: {} })]);
      const res = await fetch(`${strict.url}/v1/events/${listed[0]!.id}/face-crop`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toMatch(/does not keep face crops.*CENTRAL_ACCEPT_FACE_CROPS/);
    } finally {
      await strict.close();
    }
  });

  it('live arrivals: since answers exactly the events stored after the page was read, oldest first, with the filters, late-synced ones too', async () => {
    const page = await get('/v1/events?site=site-a&limit=2');
    const live = String(page.json.liveCursor);
    expect(live).not.toBe('');
    const before = new Set(((await get('/v1/events?limit=1000')).json.events as Ev[]).map((e) => e.id));
    // New: two for site-a (one started an hour before everything shown: a gateway that synced late), one for site-b.
    await ingest(gw, [event(7, 'new1', t0 + 30 * MIN), event(8, 'late', t0 - 60 * MIN)]);
    await ingest(other, [event(1, 'b-new', t0 + 31 * MIN)]);
    await ingest(gw, [event(9, 'new2', t0 + 32 * MIN)]);
    const arrived = await get(`/v1/events?site=site-a&since=${live}`);
    expect(arrived.status).toBe(200);
    const events = arrived.json.events as Ev[];
    expect(events.map((e) => e.uid)).toEqual(['new1', 'late', 'new2']);
    expect(events.every((e) => !before.has(e.id))).toBe(true);
    expect(arrived.json.more).toBe(false);
    // Capped: the first two, then the rest from the cursor they answer.
    const firstTwo = await get(`/v1/events?site=site-a&since=${live}&limit=2`);
    expect((firstTwo.json.events as Ev[]).map((e) => e.uid)).toEqual(['new1', 'late']);
    expect(firstTwo.json.more).toBe(true);
    const rest = await get(`/v1/events?site=site-a&since=${String(firstTwo.json.liveCursor)}&limit=2`);
    expect((rest.json.events as Ev[]).map((e) => e.uid)).toEqual(['new2']);
    expect(rest.json.more).toBe(false);
    // Nothing newer: an empty answer that keeps the cursor.
    const none = await get(`/v1/events?site=site-a&since=${String(rest.json.liveCursor)}`);
    expect(none.json).toMatchObject({ events: [], more: false, liveCursor: rest.json.liveCursor });
    // Every site, other filters.
    expect(((await get(`/v1/events?since=${live}`)).json.events as Ev[]).map((e) => e.uid)).toEqual(['new1', 'late', 'b-new', 'new2']);
    expect(((await get(`/v1/events?since=${live}&from=${t0}`)).json.events as Ev[]).map((e) => e.uid)).toEqual(['new1', 'b-new', 'new2']);
  });

  it.runIf(backend === 'postgres')('live arrivals: an event whose id was taken before a poll but committed after it is still offered', async () => {
    const uidsOf = (r: { json: Record<string, unknown> }) => (r.json.events as Ev[]).map((e) => e.uid);
    const holesOf = (cursor: unknown) => (JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8')) as unknown[])[2] ?? [];
    let cursor = String((await get('/v1/events?site=site-a&limit=1')).json.liveCursor);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // A slow ingest: its event has its id but is not committed while a quicker batch commits a later id.
      await client.query('BEGIN');
      const held = await client.query(
        `INSERT INTO events (site_id, gateway_id, uid, camera_id, zone_id, type, severity, started_at, updated_at, data)
         VALUES ('site-a', $1, 'slow', 'cam1', NULL, 'loitering', 'low', $2, $2, '{}') RETURNING id`,
        [gw.id, t0 + 41 * MIN],
      );
      expect((await ingest(gw, [event(30, 'quick', t0 + 40 * MIN)])).json).toMatchObject({ stored: 1 });
      const first = await get(`/v1/events?site=site-a&since=${cursor}`);
      expect(uidsOf(first)).toEqual(['quick']);
      expect((first.json.events as Ev[])[0]!.id).toBeGreaterThan(Number(held.rows[0].id));
      expect(holesOf(first.json.liveCursor)).toEqual([[Number(held.rows[0].id), expect.any(Number)]]);
      cursor = String(first.json.liveCursor);
      await client.query('COMMIT');
      const second = await get(`/v1/events?site=site-a&since=${cursor}`);
      expect(uidsOf(second)).toEqual(['slow']);
      expect(holesOf(second.json.liveCursor)).toEqual([]);
      expect(uidsOf(await get(`/v1/events?site=site-a&since=${String(second.json.liveCursor)}`))).toEqual([]);

      // An id that never appears (a rolled-back insert) is asked for until HOLE_TTL_MS, then dropped.
      await client.query('BEGIN');
      await client.query(`INSERT INTO events (site_id, gateway_id, uid, camera_id, type, severity, started_at, updated_at, data) VALUES ('site-a', $1, 'gone', 'cam1', 'loitering', 'low', $2, $2, '{}')`, [gw.id, t0]);
      await client.query('ROLLBACK');
      await ingest(gw, [event(31, 'after-gone', t0 + 42 * MIN)]);
      const third = await get(`/v1/events?site=site-a&since=${String(second.json.liveCursor)}`);
      expect(uidsOf(third)).toEqual(['after-gone']);
      expect(holesOf(third.json.liveCursor)).toHaveLength(1);
      expect(holesOf((await get(`/v1/events?site=site-a&since=${String(third.json.liveCursor)}`)).json.liveCursor)).toHaveLength(1);
      clock.offsetMs = 2 * MIN;
      const later = await get(`/v1/events?site=site-a&since=${String(third.json.liveCursor)}`);
      expect(later.json).toMatchObject({ events: [], more: false });
      expect(holesOf(later.json.liveCursor)).toEqual([]);
    } finally {
      clock.offsetMs = 0;
      await client.end();
    }
  });

  it('refuses a since that is not a live cursor, and since together with cursor, naming since', async () => {
    expect(await get('/v1/events?since=abc')).toMatchObject({ status: 400, json: { field: 'since' } });
    const page = await get('/v1/events?limit=1');
    expect(await get(`/v1/events?since=${String(page.json.liveCursor)}&cursor=${String(page.json.nextCursor)}`)).toMatchObject({ status: 400, json: { field: 'since' } });
    // An ordinary page cursor is not a live cursor.
    expect(await get(`/v1/events?since=${String(page.json.nextCursor)}`)).toMatchObject({ status: 400, json: { field: 'since' } });
  });
});

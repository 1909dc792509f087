import { canonicalRequest, PATHS, sign, SIGNATURE_HEADERS, signedHeaders, WIRE_VERSION } from '../../central-sync/wire';
import { encodeJson, type EncodedBody } from './bodies';
import { CENTRAL_FUZZ_ADMIN_TOKEN, type CentralFuzzFixture } from './central-fixture';
import { plan, type FuzzCase } from './driver';
import type { FuzzJson } from './json-text';
import { mutatedBody } from './mutate';
import type { Rng } from './prng';
import { headerSafe, hostileAuthorization, hostileTarget } from './requests';
import { hostileValue, type Hostile } from './values';

/** API tokens of each role, the bootstrap admin token, gateway-signed requests, no credentials, a broken Authorization header. */
export const CENTRAL_FUZZ_ROLES = ['anonymous', 'bad-authorization', 'security', 'ops', 'admin', 'bootstrap-admin', 'gateway'] as const;
type CentralRole = (typeof CENTRAL_FUZZ_ROLES)[number];

export interface CentralRoute {
  method: string;
  path: string;
}

/** The routes the app registered (Hono keeps them in app.routes), one entry per method and path. */
export function centralRoutes(f: CentralFuzzFixture): CentralRoute[] {
  const seen = new Map<string, CentralRoute>();
  for (const r of f.app.routes) if (r.method !== 'ALL') seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  return [...seen.values()];
}

const key = (r: CentralRoute) => `${r.method} ${r.path}`;

/** Roles whose requests get past authentication to the route's own validation (admin routes by default). */
const REACH: Record<string, readonly CentralRole[]> = {
  'GET /healthz': ['anonymous'],
  [`POST ${PATHS.enrol}`]: ['anonymous', 'gateway'],
  [`POST ${PATHS.ingest}`]: ['gateway'],
  [`POST ${PATHS.heartbeat}`]: ['gateway'],
  'GET /v1/events': ['security', 'admin', 'bootstrap-admin'],
  'GET /v1/fleet': ['ops', 'admin', 'bootstrap-admin'],
  'GET /v1/queue-stats': ['security', 'ops', 'admin', 'bootstrap-admin'],
};
const reaches = (route: CentralRoute, role: string) => (REACH[key(route)] ?? ['admin', 'bootstrap-admin']).includes(role as CentralRole);
const WEIGHT: Record<string, number> = { [`POST ${PATHS.ingest}`]: 6, [`POST ${PATHS.heartbeat}`]: 2, [`POST ${PATHS.enrol}`]: 2, 'POST /v1/admin/enrolments': 2, 'POST /v1/admin/tokens': 2, 'GET /v1/events': 2, 'GET /v1/queue-stats': 2 };

/** A valid batch of one record of each kind, numbered from `seq`. */
function batch(gatewayId: string, seq: number, at: number): FuzzJson {
  const minute = Math.floor(at / 60_000) * 60_000;
  return {
    version: WIRE_VERSION,
    gatewayId,
    records: [
      { seq, kind: 'event', at, payload: { uid: `fz-${seq}`, cameraId: 'cam1', zoneId: 'z1', trackId: 3, type: 'loitering', severity: 'high', at, data: { dwellS: 61, note: 'n' } } },
      { seq: seq + 1, kind: 'event_update', at, payload: { uid: `fz-${seq}`, at, phase: 'end', data: { dwellS: 90 } } },
      { seq: seq + 2, kind: 'queue_stat', at, payload: { cameraId: 'cam1', zoneId: 'q1', minute, avgCount: 2.5, maxCount: 4, departures: 3, estWaitS: 90, occupiedRatio: 0.5 } },
      { seq: seq + 3, kind: 'camera_health', at, payload: { cameraId: 'cam1', state: 'failed', reason: 'rtsp://***@10.0.0.5 timed out', at } },
    ],
  };
}

/** Signature headers with one of them broken (the rest valid), or signed for another path. */
function brokenSignature(rng: Rng, f: CentralFuzzFixture, path: string, bytes: Uint8Array, lastNonce: string | undefined): Hostile<Record<string, string>> {
  const now = Date.now();
  const signWith = (timestamp: string, nonce: string, signedPath = path) => ({
    [SIGNATURE_HEADERS.gateway]: f.gateway.id,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: sign(f.gateway.secret, canonicalRequest('POST', signedPath, timestamp, nonce, bytes)),
  });
  const valid = signWith(String(now), `fuzznonce${now}${rng.int(1e9)}`);
  return rng.pick<() => Hostile<Record<string, string>>>([
    () => ({ value: signWith(rng.pick(['1e20', '-1', '99999999999999999999', String(now - 10 * 60_000), String(now + 10 * 60_000), '']), valid[SIGNATURE_HEADERS.nonce]!), label: 'timestamp out of range' }),
    () => ({ value: signWith(String(now), rng.pick(['short', 'a'.repeat(200), 'nonce with spaces!!', '\xff'.repeat(20)])), label: 'malformed nonce' }),
    () => ({ value: signWith(String(now), lastNonce ?? 'replayed-nonce-0123456789'), label: 'nonce replayed' }),
    () => ({ value: { ...valid, [SIGNATURE_HEADERS.gateway]: rng.pick([f.decoyGatewayId, 'x'.repeat(200), headerSafe('gw\u202E'), 'unknown-gateway']) }, label: 'another gateway id' }),
    () => ({ value: { ...valid, [SIGNATURE_HEADERS.signature]: rng.pick(['z'.repeat(64), '', valid[SIGNATURE_HEADERS.signature]!.toUpperCase(), valid[SIGNATURE_HEADERS.signature]!.slice(2)]) }, label: 'altered signature' }),
    () => ({ value: signWith(String(now), valid[SIGNATURE_HEADERS.nonce]!, path === PATHS.ingest ? PATHS.heartbeat : PATHS.ingest), label: 'signed for another path' }),
    () => {
      const { [SIGNATURE_HEADERS.timestamp]: _dropped, ...rest } = valid;
      return { value: rest, label: 'timestamp header missing' };
    },
  ])();
}

/**
 * The requests of a central fuzz run: every route the app registered, every role; gateway-signed
 * requests are signed correctly over their hostile bytes (mostly), so the validator is what judges them.
 */
export async function* centralCases(rng: Rng, f: CentralFuzzFixture, total: number): AsyncGenerator<FuzzCase> {
  const now = Date.now();
  const cursor = Buffer.from(JSON.stringify([now, 5])).toString('base64url');
  const queries: Record<string, Record<string, string>> = {
    'GET /v1/events': { site: f.siteId, camera: 'cam1', type: 'loitering', severity: 'high', from: '0', to: String(now + 60_000), limit: '10', cursor },
    'GET /v1/queue-stats': { site: f.siteId, camera: 'cam1', zone: 'q1', from: String(now - 86_400_000), to: String(now + 60_000), limit: '100' },
    'GET /v1/footfall': { site: f.siteId, from: String(now - 7 * 86_400_000), to: String(now + 60_000), tz: 'Asia/Ho_Chi_Minh' },
  };
  let seq = 1;
  const bodies: Record<string, () => Promise<FuzzJson>> = {
    [`POST ${PATHS.enrol}`]: async () => ({ version: WIRE_VERSION, token: await f.newEnrolmentToken(), gatewayName: 'fuzz enrolled' }),
    [`POST ${PATHS.ingest}`]: async () => batch(f.gateway.id, (seq += 4), Date.now() - 1000),
    [`POST ${PATHS.heartbeat}`]: async () => ({ version: WIRE_VERSION, gatewayId: f.gateway.id, at: Date.now(), cameras: [{ id: 'cam1', state: 'running', reason: null }], backlog: 3, oldestUnsentAt: Date.now() - 5000, dropped: 0 }),
    'POST /v1/admin/enrolments': async () => ({ siteId: f.siteId, siteName: 'Fuzz site', ttlHours: 24 }),
    'POST /v1/admin/tokens': async () => ({ name: 'fuzz token', role: 'ops' }),
  };
  const pathTemplate = (route: CentralRoute) => (route.path.startsWith('/v1/admin/tokens/') ? String(f.decoyTokenId) : f.decoyGatewayId);
  const signedPaths: readonly string[] = [PATHS.ingest, PATHS.heartbeat];
  let lastNonce: string | undefined;

  for (const { route, role } of plan(rng, centralRoutes(f), CENTRAL_FUZZ_ROLES, total, reaches, (r) => WEIGHT[key(r)] ?? 1)) {
    const labels: string[] = [];
    const headers: Record<string, string> = {};
    const r = role as CentralRole;
    if (r === 'security' || r === 'ops' || r === 'admin') headers.authorization = `Bearer ${f.tokens[r]}`;
    else if (r === 'bootstrap-admin') headers.authorization = `Bearer ${CENTRAL_FUZZ_ADMIN_TOKEN}`;
    else if (r === 'bad-authorization') {
      const h = hostileAuthorization(rng, f.tokens.admin);
      headers.authorization = h.value;
      labels.push(h.label);
    }

    const { path, query } = hostileTarget(rng, route.path, () => pathTemplate(route), queries[key(route)], 0.5, labels);

    let body: EncodedBody | undefined;
    const template = bodies[key(route)];
    if (template) {
      const valid = await template();
      const mutated = mutatedBody(rng, () => valid, 0.1);
      body = encodeJson(rng, mutated.value, mutated.label);
    } else if (route.method === 'POST' && rng.chance(0.4)) {
      const junk = hostileValue(rng);
      body = encodeJson(rng, junk.value, `unexpected body ${junk.label}`);
    }
    if (body) labels.push(body.label);
    const bytes = body?.bytes ?? new Uint8Array(0);

    if (r === 'gateway') {
      const signFor = signedPaths.includes(route.path) ? route.path : PATHS.ingest;
      if (rng.chance(0.12)) {
        const broken = brokenSignature(rng, f, signFor, bytes, lastNonce);
        Object.assign(headers, broken.value);
        labels.push(broken.label);
      } else {
        Object.assign(headers, signedHeaders(f.gateway.id, f.gateway.secret, route.method, signFor, bytes, Date.now()));
      }
      lastNonce = headers[SIGNATURE_HEADERS.nonce];
    }
    yield {
      route: key(route),
      role,
      label: labels.join('; ') || 'valid request',
      request: { method: route.method, path: query ? `${path}?${query}` : path, headers: { ...headers, ...(body && route.method !== 'GET' ? body.headers : {}) }, ...(body && route.method !== 'GET' ? { body: body.bytes } : {}) },
    };
  }
}

import { allowed, ROUTES, type RouteSpec } from '../../gateway/api';
import { SESSION_COOKIE } from '../../gateway/api/session-auth';
import { ROLES, type Role } from '../../gateway/config';
import { encodeJson, encodeMultipart, type EncodedBody, type MultipartPart } from './bodies';
import { plan, type FuzzCase } from './driver';
import { GATEWAY_ORIGIN, fuzzToken, type GatewayFuzzFixture } from './gateway-fixture';
import type { FuzzJson } from './json-text';
import { mutatedBody } from './mutate';
import { pickPhoto, type PhotoSet } from './photos';
import type { Rng } from './prng';
import { hostileAuthorization, hostileCookie, hostileOrigin, hostileTarget } from './requests';
import { hostileKey, hostileString, hostileValue } from './values';

/** Bearer-token roles, no credentials, a broken Authorization header, an admin's dashboard session, a broken session cookie. */
export const GATEWAY_FUZZ_ROLES = [...ROLES, 'anonymous', 'bad-authorization', 'session', 'bad-cookie'] as const;
type FuzzRole = (typeof GATEWAY_FUZZ_ROLES)[number];

const isRole = (r: FuzzRole): r is Role => (ROLES as readonly string[]).includes(r);
const key = (route: RouteSpec) => `${route.method} ${route.path}`;
const UNKNOWN_PERSON = '00000000-0000-4000-8000-000000000000';

/** Query parameters each route knows, with valid values; routes not listed get hostile ones only. */
function queryTemplates(f: GatewayFuzzFixture): Record<string, Record<string, string>> {
  const now = String(Date.now());
  return {
    'GET /api/events': { camera: f.cameraId, type: 'queue_long', severity: 'high', review: 'open', from: '0', to: now, limit: '20', cursor: 'eyJ4IjoxfQ' },
    'GET /api/queues/stats': { camera: 'cam2', zone: 'line', from: '0', to: now },
    'GET /api/footfall': { camera: 'cam2', zone: 'line', from: String(Date.now() - 86_400_000), to: now, detail: 'minute' },
    'GET /api/queues/alerts': { camera: f.cameraId, from: '0', limit: '10' },
    'GET /api/benchmarks/latest': { kind: 'models' },
    'GET /api/audit/watchlist': { limit: '10' },
    'GET /api/events/:id/snapshot': { variant: 'blurred' },
  };
}

/** Valid JSON bodies to mutate, per route. */
function jsonTemplates(rng: Rng, f: GatewayFuzzFixture): Record<string, () => FuzzJson> {
  let users = 0;
  return {
    'POST /api/events/:id/review': (): FuzzJson => (rng.chance(0.5) ? { action: 'comment', comment: 'checked at the door' } : { action: 'acknowledge' }),
    'POST /api/users': () => ({ name: `fuzz${(users += 1)}`, role: 'ops', ...(rng.chance(0.3) ? { password: 'correct horse battery' } : {}) }),
    'POST /api/login': (): FuzzJson => (rng.chance(0.5) ? { token: fuzzToken('supervisor') } : { name: f.passwordUser.name, password: f.passwordUser.password }),
    'PUT /api/cameras/:id/zones': (): FuzzJson => ({
      zones: [
        { id: 'line', name: 'Checkout', type: 'queue', points: [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9]], maxLength: 6, maxWaitSeconds: 600 },
        { id: 'door', type: 'restricted', points: [[0, 0], [0.2, 0], [0.2, 0.2]], schedule: { windows: [{ days: ['mon', 'tue'], start: '08:00', end: '18:00' }] } },
        { id: 'hall', type: 'count', points: [[0.5, 0.5], [0.6, 0.5], [0.6, 0.6]], crowdingAbove: 10 },
      ],
    }),
  };
}

/** Enrolment forms: a name (sometimes hostile), a note, photos (sometimes too many), odd field names and file names. */
function multipartParts(rng: Rng, photos: PhotoSet, withName: boolean): { parts: MultipartPart[]; label: string } {
  const labels: string[] = [];
  const parts: MultipartPart[] = [];
  if (withName) {
    const name = rng.chance(0.4) ? hostileString(rng) : { value: 'Fuzz Person', label: '' };
    if (name.label) labels.push(`name = ${name.label}`);
    parts.push({ name: 'name', data: name.value });
    if (rng.chance(0.3)) {
      const note = hostileString(rng);
      labels.push(`note = ${note.label}`);
      parts.push({ name: 'note', data: note.value });
    }
  }
  const count = rng.weighted([[8, 1], [2, 2], [1, 0], [1, 6]] as const);
  for (let i = 0; i < count; i++) {
    const photo = pickPhoto(rng, photos);
    labels.push(photo.label);
    const filename = rng.chance(0.15) ? hostileString(rng) : { value: `p${i}.jpg`, label: '' };
    if (filename.label) labels.push(`filename = ${filename.label}`);
    parts.push({ name: 'photo', filename: filename.value.replace(/[\r\n"]/g, '_').slice(0, 5_000), contentType: 'image/jpeg', data: photo.value });
  }
  if (count !== 1) labels.push(`${count} photos`);
  if (rng.chance(0.1)) {
    parts.push({ name: 'photo', data: 'a text field, not a file' });
    labels.push('photo as a text field');
  }
  if (rng.chance(0.1)) {
    const k = hostileKey(rng).replace(/[\r\n"]/g, '_');
    parts.push({ name: k, data: 'x' });
    labels.push(`extra field '${k.slice(0, 20)}'`);
  }
  return { parts, label: labels.join('; ') || 'valid form' };
}

/** Path parameter values that reach the handler: a real event, an unknown person, a decoy user, the camera. */
function pathTemplate(route: RouteSpec, f: GatewayFuzzFixture, param: string): string {
  if (route.path.startsWith('/api/events/')) return String(f.eventId);
  if (route.path.startsWith('/api/watchlist/')) return UNKNOWN_PERSON;
  if (route.path.startsWith('/api/users/')) return f.decoyUser;
  if (route.path.startsWith('/api/cameras/')) return f.cameraId;
  return param === 'id' ? '1' : 'x';
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];

/**
 * The requests of a gateway fuzz run, over every route of ROUTES (feature routes included, so a
 * new route is fuzzed without touching this file) and every role.
 */
export async function* gatewayCases(rng: Rng, f: GatewayFuzzFixture, photos: PhotoSet, total: number): AsyncGenerator<FuzzCase> {
  const queries = queryTemplates(f);
  const bodies = jsonTemplates(rng, f);
  const multipart: Record<string, boolean> = { 'POST /api/watchlist': true, 'POST /api/watchlist/preview': false };
  const deep = (route: RouteSpec, role: string) => route.public === true || role === 'session' || (isRole(role as FuzzRole) && allowed(route, role as Role));
  const weight = (route: RouteSpec) => (bodies[key(route)] || key(route) in multipart ? 3 : queries[key(route)] ? 2 : 1);
  let session: string | undefined;
  for (const { route, role } of plan(rng, ROUTES, GATEWAY_FUZZ_ROLES, total, deep, weight)) {
    const labels: string[] = [];
    const headers: Record<string, string> = {};
    session ??= await f.openSession('admin');
    const r = role as FuzzRole;
    if (isRole(r)) headers.authorization = `Bearer ${fuzzToken(r)}`;
    else if (r === 'bad-authorization') {
      const h = hostileAuthorization(rng, fuzzToken('admin'));
      headers.authorization = h.value;
      labels.push(h.label);
    } else if (r === 'session') {
      headers.cookie = `${SESSION_COOKIE}=${session}`;
      const origin = rng.weighted([[6, 'own'], [2, 'none'], [2, 'hostile']] as const);
      if (origin === 'own') headers.origin = GATEWAY_ORIGIN;
      else if (origin === 'none' && rng.chance(0.5)) {
        headers['sec-fetch-site'] = rng.pick(['cross-site', 'same-site', 'same-origin', 'none', '\xff']);
        labels.push(`sec-fetch-site '${headers['sec-fetch-site']}' without origin`);
      } else if (origin === 'hostile') {
        const h = hostileOrigin(rng, GATEWAY_ORIGIN);
        headers.origin = h.value;
        labels.push(h.label);
      }
    } else if (r === 'bad-cookie') {
      const h = hostileCookie(rng, SESSION_COOKIE, session);
      headers.cookie = h.value;
      labels.push(h.label);
    }

    const { path, query } = hostileTarget(rng, route.path, (param) => pathTemplate(route, f, param), queries[key(route)], 0.45, labels);

    let body: EncodedBody | undefined;
    const template = bodies[key(route)];
    if (template) {
      const mutated = mutatedBody(rng, template, 0.12);
      body = encodeJson(rng, mutated.value, mutated.label);
    } else if (key(route) in multipart) {
      const form = multipartParts(rng, photos, multipart[key(route)]!);
      body = encodeMultipart(rng, form.parts, form.label);
    } else if (route.method !== 'GET' && rng.chance(0.4)) {
      const junk = hostileValue(rng);
      body = encodeJson(rng, junk.value, `unexpected body ${junk.label}`);
    }
    if (body) labels.push(body.label);

    let method: string = route.method;
    if (rng.chance(0.03)) {
      method = rng.pick(OTHER_METHODS);
      labels.push(`method ${method}`);
    }
    const sendsBody = body && method !== 'GET' && method !== 'HEAD';
    yield {
      route: key(route),
      role,
      label: labels.join('; ') || 'valid request',
      request: { method, path: query ? `${path}?${query}` : path, headers: { ...headers, ...(sendsBody ? body!.headers : {}) }, ...(sendsBody ? { body: body!.bytes } : {}) },
    };
    // A logout (from any role: a broken cookie may still carry the session) may have ended it.
    if (route.path === '/api/logout') session = undefined;
  }
}

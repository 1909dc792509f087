import type { Rng } from './prng';
import type { Hostile } from './values';

/** Path parameter values, already percent-encoded where a client would have to (raw unicode is encoded by URL). */
const PATH_VALUES: readonly string[] = [
  '%00',
  'a%00b',
  '..',
  '%2e%2e',
  '..%2f..%2fetc%2fpasswd',
  '%2F',
  '%5C..%5C',
  'x'.repeat(5_000),
  '%F0%9F%98%80',
  '😀',
  'Đông',
  '%E0%A4%A',
  '%ED%A0%80',
  '%',
  '%%',
  '%C0%80',
  '%E2%80%AE',
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  '%201',
  '9007199254740993',
  '99999999999999999999',
  'NaN',
  'Infinity',
  '__proto__',
  'constructor',
  'null',
  "'%20OR%201=1--",
  '%3Cscript%3E',
];

export function hostilePathValue(rng: Rng): Hostile<string> {
  const value = rng.pick(PATH_VALUES);
  return { value, label: `path param '${value.slice(0, 40)}'` };
}

/** Query strings: known keys with hostile values, unknown and prototype keys, repeats and malformed encoding. */
export function hostileQuery(rng: Rng, known: Record<string, string>): Hostile<string> {
  const keys = Object.keys(known);
  const enc = encodeURIComponent;
  const pick = () => (keys.length > 0 ? rng.pick(keys) : 'q');
  const value = () =>
    rng.pick(['%00', '%ED%A0%80', '%E0%A4%A', '-1', '1.5', '1e400', '9007199254740993', '99999999999999999999', '', 'NaN', '%E2%80%AE', "'%20OR%201=1--", 'x'.repeat(100_000), enc('😀'), '[]', '%5B%5D=1']);
  return rng.pick<() => Hostile<string>>([
    () => {
      const k = pick();
      const v = value();
      return { value: `${enc(k)}=${v}`, label: `query ${k}=${v.slice(0, 30)}` };
    },
    () => {
      const k = rng.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '%00', 'unknown', '']);
      return { value: `${k}=1`, label: `query key '${k}'` };
    },
    () => {
      const k = pick();
      return { value: `${enc(k)}=${enc(known[k] ?? '1')}&${enc(k)}=${value()}`, label: `query ${k} twice` };
    },
    () => ({ value: `${enc(pick())}`, label: 'query key without value' }),
    () => ({ value: '&&&=&=', label: 'query of separators' }),
    () => ({ value: `${enc(pick())}[]=1&${enc(pick())}[a]=2`, label: 'query with brackets' }),
    () => ({ value: Array.from({ length: 2_000 }, (_, i) => `k${i}=${i}`).join('&'), label: '2,000 query parameters' }),
  ])();
}

/** A query string from known parameters, each kept with probability `keep`. */
export function someOf(rng: Rng, known: Record<string, string>, keep = 0.5): string {
  return Object.entries(known)
    .filter(() => rng.chance(keep))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/**
 * Header values must be byte strings without NUL, CR or LF (a client cannot send those); unicode
 * goes as its UTF-8 bytes read as Latin-1, which is what arrives from a raw socket.
 */
export const headerSafe = (text: string): string => Buffer.from(text, 'utf8').toString('latin1').replace(/[\0\r\n]/g, '');

/** Authorization headers that are not a plain `Bearer <token>` (`token` is a valid one, for near misses). */
export function hostileAuthorization(rng: Rng, token: string): Hostile<string> {
  const value = rng.pick([
    'Bearer',
    'Bearer ',
    'bearer',
    `Bearer ${token} extra`,
    `Bearer ${token}, Bearer ${token}`,
    `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    `Bearer ${'a'.repeat(100_000)}`,
    `Bearer ${token.slice(0, -1)}`,
    `Bearer ${token.toUpperCase()}`,
    `Bearer\t${token}`,
    `BEARER ${token}`,
    headerSafe(`Bearer ${token}\u202E`),
    headerSafe('Bearer 😀'),
    'Bearer \xff\xfe',
    'Bearer %00',
    'Bearer null',
    'Bearer undefined',
    'Digest username="x"',
    ', ',
  ]);
  return { value, label: `authorization '${value.slice(0, 40)}'` };
}

/** Cookie headers with a broken, oversized or repeated session cookie (`name` is the session cookie's name). */
export function hostileCookie(rng: Rng, name: string, valid: string): Hostile<string> {
  const value = rng.pick([
    `${name}=`,
    `${name}=%`,
    `${name}=%E0%A4%A`,
    `${name}=%ED%A0%80`,
    `${name}=${'s'.repeat(100_000)}`,
    `${name}=${valid}; ${name}=other`,
    `${name}=other; ${name}=${valid}`,
    `${name}="${valid}"`,
    `${name}=${valid.slice(0, -2)}`,
    `${name}`,
    `=${valid}`,
    ';;;',
    headerSafe(`${name}=😀`),
    `${name}=\xff\xfe`,
    `__proto__=1; constructor=2; ${name}=x`,
    Array.from({ length: 500 }, (_, i) => `c${i}=${i}`).join('; '),
  ]);
  return { value, label: `cookie '${value.slice(0, 40)}'` };
}

/** Origin headers that are not the server's own (and near misses of it). */
export function hostileOrigin(rng: Rng, own: string): Hostile<string> {
  const value = rng.pick(['null', 'http://evil.example', `${own}.evil.example`, own.toUpperCase(), `${own}:80`, `${own}/`, 'file://', '', headerSafe('http://ẹvil.example'), `http://${'a'.repeat(10_000)}`, own]);
  return { value, label: `origin '${value.slice(0, 40)}'` };
}

/**
 * A route's path with each `:param` filled (hostile about a third of the time) and a query string
 * from the route's known parameters, sometimes with a hostile one added; labels what it made hostile.
 */
export function hostileTarget(rng: Rng, routePath: string, fill: (param: string) => string, known: Record<string, string> | undefined, queryChance: number, labels: string[]): { path: string; query: string } {
  const path = routePath.replace(/:(\w+)/g, (_, param: string) => {
    if (!rng.chance(0.35)) return fill(param);
    const h = hostilePathValue(rng);
    labels.push(h.label);
    return h.value;
  });
  const parts = [someOf(rng, known ?? {})];
  if (rng.chance(known ? queryChance : 0.25)) {
    const h = hostileQuery(rng, known ?? {});
    parts.push(h.value);
    labels.push(h.label);
  }
  return { path, query: parts.filter(Boolean).join('&') };
}

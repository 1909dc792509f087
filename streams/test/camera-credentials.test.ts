/**
 * Issue 11 item 1: a camera's password never leaves streams/ in anything derived from ffmpeg's
 * output. Real ffmpeg against cameras on 127.0.0.1 that fail in the ways that make ffmpeg print the
 * URL it was given (Debian's 5.1: `http://viewer:S3cretPw@...: Invalid data found ...`); every
 * health(), every `state` event and every log line is searched for the password.
 */
import { execFile } from 'node:child_process';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-helpers/processes';
import { CameraStream, type CameraHealth, type CameraSource } from '../camera';
import { ffmpegOutputMask } from '../camera/redact';
import { resolveFfmpeg } from '../ffmpeg/binary';
import { setStreamsLogger, streamsLog } from '../log';
import { closedPort, startHangingUpCamera, startHttpCamera, startRtspRefusingCamera, type FakeCamera } from './fixtures/fake-cameras';

const PASSWORD = 'S3cretPw';
/** Fast retries, and `failed` after two attempts of a cause reconnecting cannot fix. */
const FAST = { backoff: { initialMs: 100, maxMs: 200, jitter: 0, failAfterAttempts: 2 } } as const;

let http: FakeCamera;
let hangingUp: FakeCamera;
let rtsp: FakeCamera;
const logged: string[] = [];
const originalLogger = streamsLog();

beforeAll(async () => {
  [http, hangingUp, rtsp] = await Promise.all([startHttpCamera(), startHangingUpCamera(), startRtspRefusingCamera()]);
  // No redaction of its own: what it records is exactly what streams/ handed it.
  setStreamsLogger(pino({ level: 'trace' }, { write: (line: string) => void logged.push(line) }));
});

interface Watched {
  cam: CameraStream;
  states: CameraHealth[];
}
const watched: Watched[] = [];

afterEach(async () => {
  await Promise.all(watched.splice(0).map((w) => w.cam.stop()));
});
afterAll(async () => {
  setStreamsLogger(originalLogger);
  await Promise.all([http, hangingUp, rtsp].map((c) => c?.close()));
});

function watch(source: CameraSource): Watched {
  const w: Watched = { cam: new CameraStream(source), states: [] };
  w.cam.on('state', (h) => w.states.push(h));
  watched.push(w);
  w.cam.start();
  return w;
}

/** Everything the camera said: its health now, every state event, every line it logged. */
function everythingSaid(w: Watched): string[] {
  const lines = logged.filter((l) => l.includes(`"camera":"${w.cam.id}"`));
  return [JSON.stringify(w.cam.health()), ...w.states.map((s) => JSON.stringify(s)), ...lines];
}

/**
 * The 3-character pieces of a secret that hold a capital letter. Pieces of digits, dots and colons
 * alone also occur in the host (the passwords below contain `127.0.0.1:port`), and ones of lower
 * case letters alone in ffmpeg's words ("ret" in "returned"); these cannot occur by chance.
 */
function pieces(secret: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= secret.length; i++) if (/[A-Z]/.test(secret.slice(i, i + 3))) out.add(secret.slice(i, i + 3));
  return [...out];
}

function leaks(texts: string[], secrets: string[]): string[] {
  const found: string[] = [];
  for (const text of texts) for (const piece of secrets.flatMap(pieces)) if (text.includes(piece)) found.push(`'${piece}' in ${text}`);
  return found;
}

describe('HTTP camera credentials never leave streams/', () => {
  it.each([
    { name: 'garbage', path: '/cam.ts', reason: 'invalid_data', names: /Invalid data found/ },
    { name: 'refusal', path: '/401/cam.ts', reason: 'unauthorized', names: /401 Unauthorized/ },
  ] as const)('a camera answering with $name: health, state events and log carry no password', async ({ name, path, reason, names }) => {
    const url = `http://viewer:${PASSWORD}@127.0.0.1:${http.port}${path}`;
    const w = watch({ id: `http-${name}`, url, ...FAST });
    expect(await waitFor(() => w.cam.health().state === 'failed', 20_000)).toBe(true);
    const h = w.cam.health();
    expect(h.reason).toBe(reason);
    expect(h.detail).toMatch(names);
    expect(h.url).toBe(`http://viewer:***@127.0.0.1:${http.port}${path}`);
    expect(logged.some((l) => l.includes(`"camera":"http-${name}"`) && l.includes('camera failed'))).toBe(true);
    expect(leaks(everythingSaid(w), [PASSWORD])).toEqual([]);
  });

  it("keeps ffmpeg's line naming the URL, with the password masked", async () => {
    const w = watch({ id: 'http-named', url: `http://viewer:${PASSWORD}@127.0.0.1:${http.port}/cam.ts`, ...FAST });
    expect(await waitFor(() => w.cam.health().state === 'failed', 20_000)).toBe(true);
    expect(w.cam.health().detail).toBe(`http://viewer:***@127.0.0.1:${http.port}/cam.ts: Invalid data found when processing input`);
  });

  it('masks the exit message of an ffmpeg whose camera hung up (no classified line)', async () => {
    const w = watch({ id: 'http-hangup', url: `http://viewer:${PASSWORD}@127.0.0.1:${hangingUp.port}/cam.ts`, ...FAST });
    expect(await waitFor(() => w.states.filter((s) => s.state === 'reconnecting').length >= 2, 20_000)).toBe(true);
    const h = w.cam.health();
    expect(h.reason).toBe('exited');
    expect(h.detail).toContain(`http://viewer:***@127.0.0.1:${hangingUp.port}/cam.ts`);
    expect(leaks(everythingSaid(w), [PASSWORD])).toEqual([]);
  });

  it('masks the error of a failed snapshot', async () => {
    const cam = new CameraStream({ id: 'http-snapshot', url: `http://viewer:${PASSWORD}@127.0.0.1:${http.port}/cam.ts` });
    const err = await cam.snapshot(15_000).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/snapshot of camera 'http-snapshot' \(http\) failed: .*Invalid data found/);
    expect(err?.message).toContain('http://viewer:***@127.0.0.1:');
    expect(leaks([err!.message], [PASSWORD])).toEqual([]);
  });
});

describe("RTSP credentials with '@', '/' and ':' in the password never leave streams/", () => {
  // ffmpeg (and WHATWG URL) end the userinfo at the first '/': for ffmpeg this password is `Qz`, the
  // host 127.0.0.1 and the path `/VkJ:WqZ@...`. Masking must cover everything up to the last '@'.
  const password = (port: number): string => `Qz@127.0.0.1:${port}/VkJ:WqZ`;

  it.each([
    { form: 'as typed', encode: (p: string) => p },
    { form: 'percent-encoded', encode: encodeURIComponent },
  ])('a camera refusing the credentials ($form): health, state events and log carry no piece of it', async ({ form, encode }) => {
    const secret = password(rtsp.port);
    const w = watch({ id: `rtsp-${form.replace(/\W/g, '')}`, url: `rtsp://viewer:${encode(secret)}@127.0.0.1:${rtsp.port}/live`, ...FAST });
    expect(await waitFor(() => w.cam.health().state === 'failed', 20_000)).toBe(true);
    const h = w.cam.health();
    expect(h.reason).toBe('unauthorized');
    expect(h.url).toBe(`rtsp://viewer:***@127.0.0.1:${rtsp.port}/live`);
    expect(rtsp.requests.length).toBeGreaterThan(0);
    expect(leaks(everythingSaid(w), [secret, encode(secret)])).toEqual([]);
  });

  it('a closed local port: health, state events and log carry no piece of it', async () => {
    const port = await closedPort();
    const secret = password(port);
    const w = watch({ id: 'rtsp-closed', url: `rtsp://viewer:${secret}@127.0.0.1:${port}/live`, ...FAST });
    expect(await waitFor(() => w.states.filter((s) => s.state === 'reconnecting').length >= 2, 20_000)).toBe(true);
    const h = w.cam.health();
    expect(h.reason).toBe('connection_refused');
    expect(h.url).toBe(`rtsp://viewer:***@127.0.0.1:${port}/live`);
    expect(leaks(everythingSaid(w), [secret])).toEqual([]);
  });
});

describe('the mask over every line ffmpeg prints', () => {
  /** All of ffmpeg's stderr lines for one input at -loglevel debug (it dumps its requests there). */
  function debugLines(url: string): Promise<string[]> {
    const args = ['-nostdin', '-hide_banner', '-loglevel', 'debug', '-rw_timeout', '5000000', '-i', url, '-f', 'null', '-'];
    return new Promise((resolve) => execFile(resolveFfmpeg().path, args, { timeout: 15_000 }, (_err, _out, stderr) => resolve(stderr.split('\n'))));
  }

  it.each(['http', 'rtsp'] as const)('%s: no piece of the password and no credentials header survives in any line', async (scheme) => {
    const port = scheme === 'http' ? http.port : rtsp.port;
    const secret = `Qz@127.0.0.1:${port}/VkJ:WqZ`;
    const url = `${scheme}://viewer:${secret}@127.0.0.1:${port}/401/cam.ts`;
    const raw = await debugLines(url);
    // What there is to hide: ffmpeg names the URL, and over HTTP sends and dumps `/VkJ:WqZ@...` as
    // the path and `viewer:Qz` as a Basic credential.
    expect(raw.some((l) => l.includes(url))).toBe(true);
    if (scheme === 'http') {
      expect(raw.some((l) => /request: GET \/VkJ:WqZ@/.test(l))).toBe(true);
      expect(raw.some((l) => l.includes(`Authorization: Basic ${Buffer.from('viewer:Qz').toString('base64')}`))).toBe(true);
    }
    const mask = ffmpegOutputMask(url);
    const masked = raw.map(mask);
    expect(leaks(masked, [secret])).toEqual([]);
    expect(masked.filter((l) => /Basic\s+\S/.test(l) && !l.includes('realm'))).toEqual([]);
    expect(masked.some((l) => l.includes(`${scheme}://viewer:***@127.0.0.1:${port}/401/cam.ts`))).toBe(true);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCameraSource, type CameraSource } from '../../streams';
import { ConfigError, loadConfigFile, parseConfig, streamSourceOf } from '../config';

const TOKEN = 'a'.repeat(32);
const base = () => ({
  site: { id: 'q1-onestop', name: 'Một cửa Quận 1' },
  cameras: [
    {
      id: 'queue-cam',
      url: 'rtsp://127.0.0.1:8554/cam1',
      zones: [{ id: 'line-a', type: 'queue', points: [[0.1, 0.1], [0.5, 0.1], [0.5, 0.9]] }],
    },
    {
      id: 'back-door',
      url: 'rtsp://127.0.0.1:8554/cam2',
      zones: [{ id: 'store-room', type: 'restricted', points: [[0, 0], [1, 0], [1, 1]], schedule: { windows: [{ days: ['mon', 'tue'], start: '18:00', end: '07:00' }] } }],
    },
  ],
  users: [{ name: 'admin', role: 'admin', token: TOKEN }],
});

const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('gateway configuration', () => {
  it('accepts a valid configuration and fills defaults', () => {
    const cfg = parseConfig(base(), {});
    expect(cfg.cameras[0]).toMatchObject({ detectFps: 5, detectSize: { width: 640, height: 360 }, transport: 'tcp', enabled: true });
    expect(cfg.cameras[0]!.zones[0]).toMatchObject({ type: 'queue', maxLength: 8 });
    // Zone inertia and cool-down stay as written (absent: the rules' defaults 1 s, 2 s, 30 s apply).
    expect(cfg.cameras[1]!.zones[0]).not.toHaveProperty('enterAfterSeconds');
    expect(cfg.retention).toEqual({ eventsDays: 30, statsDays: 90, snapshotsDays: 7, faceCropsDays: 7, clipsDays: 7, auditDays: 365 });
    expect(cfg.api.port).toBe(8080);
    expect(cfg.site.timezone).toBe('Asia/Ho_Chi_Minh');
  });

  it('names the path of a bad value', () => {
    const cfg = base();
    cfg.cameras[1]!.zones[0]!.points = [[0, 0], [1, 1]];
    const err = errorOf(() => parseConfig(cfg, {}));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('cameras[1].zones[0].points: polygon needs >= 3 points');
    expect(err.path).toBe('cameras[1].zones[0].points');
  });

  it.each([
    [(c: ReturnType<typeof base>) => { c.cameras[0]!.zones[0]!.points[1] = [1.5, 0.2]; }, /^cameras\[0\]\.zones\[0\]\.points\[1\]\[0\]: must be within 0\.\.1/],
    [(c: ReturnType<typeof base>) => { (c.cameras[0] as Record<string, unknown>).role = 'lobby'; }, /^cameras\[0\]\.role: /],
    [(c: ReturnType<typeof base>) => { c.cameras[1]!.id = 'queue-cam'; }, /^cameras\[1\]\.id: duplicate camera id 'queue-cam'/],
    // Ids name folders (clip buffers, clips): `..` would be the data folder itself, `.` the buffers' parent.
    [(c: ReturnType<typeof base>) => { c.cameras[1]!.id = '..'; }, /^cameras\[1\]\.id: an id of dots only would name a parent folder/],
    [(c: ReturnType<typeof base>) => { c.cameras[0]!.id = '.'; }, /^cameras\[0\]\.id: an id of dots only/],
    [(c: ReturnType<typeof base>) => { (c.cameras[1]!.zones[0] as { schedule: { windows: Array<{ start: string }> } }).schedule.windows[0]!.start = '25:00'; }, /^cameras\[1\]\.zones\[0\]\.schedule\.windows\[0\]\.start: time must be HH:MM/],
    [(c: ReturnType<typeof base>) => { c.users[0]!.token = 'short'; }, /^users\[0\]\.token: token must be at least 24 characters/],
    [(c: ReturnType<typeof base>) => { (c as Record<string, unknown>).camras = []; }, /^\(root\): Unrecognized key/i],
    [(c: ReturnType<typeof base>) => { Object.assign(c.cameras[0]!.zones[0]!, { enterAfterSeconds: -1 }); }, /^cameras\[0\]\.zones\[0\]\.enterAfterSeconds: /],
    [(c: ReturnType<typeof base>) => { Object.assign(c.cameras[0]!.zones[0]!, { exitAfterSeconds: 'two' }); }, /^cameras\[0\]\.zones\[0\]\.exitAfterSeconds: /],
    [(c: ReturnType<typeof base>) => { Object.assign(c.cameras[1]!.zones[0]!, { coolDownSeconds: -5 }); }, /^cameras\[1\]\.zones\[0\]\.coolDownSeconds: /],
    // A cool-down belongs to incident zones (restricted, count), not to a queue.
    [(c: ReturnType<typeof base>) => { Object.assign(c.cameras[0]!.zones[0]!, { coolDownSeconds: 30 }); }, /^cameras\[0\]\.zones\[0\]: Unrecognized key.*coolDownSeconds/],
  ])('rejects bad input #%#', (mutate, message) => {
    const cfg = base();
    mutate(cfg);
    expect(errorOf(() => parseConfig(cfg, {})).message).toMatch(message);
  });

  it("accepts every stream setting on a camera and hands the stream exactly the parsed source", () => {
    const cfg = base();
    const streamSettings = { letterbox: true, inputOptions: ['-hwaccel', 'vaapi'], watchdogMs: 15_000, backoff: { initialMs: 500, jitter: 0 }, realtime: false, socketTimeoutMs: 2000 };
    Object.assign(cfg.cameras[0]!, streamSettings);
    const camera = parseConfig(cfg, {}).cameras[0]!;
    expect(streamSourceOf(camera)).toEqual(parseCameraSource({ id: 'queue-cam', url: 'rtsp://127.0.0.1:8554/cam1', ...streamSettings }));
    expect(Object.keys(streamSourceOf(camera))).not.toContain('zones');
  });

  it.each([
    [{ detectFps: 31 }, 'detectFps'],
    [{ detectFps: 0 }, 'detectFps'],
    [{ detectSize: { width: 63, height: 360 } }, 'detectSize.width'],
    [{ detectSize: { width: 640, height: 4097 } }, 'detectSize.height'],
    [{ detectSize: { width: 640, height: 360, depth: 3 } }, 'detectSize'],
    [{ backoff: { initalMs: 500 } }, 'backoff'],
  ])('the gateway and the stream refuse the same camera value: %o at %s', (bad, field) => {
    const cfg = base();
    Object.assign(cfg.cameras[0]!, bad);
    const path = `cameras[0].${field}`;
    expect(errorOf(() => parseConfig(cfg, {})).message.startsWith(`${path}: `), errorOf(() => parseConfig(cfg, {})).message).toBe(true);
    // As a site file would hand it over: unchecked.
    const unchecked: Record<string, unknown> = { id: 'cam', url: 'rtsp://x/y', ...bad };
    expect(() => parseCameraSource(unchecked as CameraSource)).toThrow(`at ${field}:`);
  });

  it('the gateway and the stream accept the same limits: 30 fps, 64..4096 px', () => {
    const cfg = base();
    Object.assign(cfg.cameras[0]!, { detectFps: 30, detectSize: { width: 4096, height: 64 } });
    expect(streamSourceOf(parseConfig(cfg, {}).cameras[0]!)).toMatchObject({ detectFps: 30, detectSize: { width: 4096, height: 64 } });
    expect(parseCameraSource({ id: 'cam', url: 'rtsp://x/y', detectFps: 30, detectSize: { width: 64, height: 4096 } }).detectFps).toBe(30);
  });

  it('takes secrets from the environment: ${VAR} and GATEWAY_TOKEN_<USER>', () => {
    const cfg = base();
    cfg.cameras[0]!.url = 'rtsp://viewer:${CAM_PASSWORD}@10.0.0.5/live';
    const parsed = parseConfig(cfg, { CAM_PASSWORD: 'hunter2', GATEWAY_TOKEN_ADMIN: 'b'.repeat(40) });
    expect(parsed.cameras[0]!.url).toBe('rtsp://viewer:hunter2@10.0.0.5/live');
    expect(parsed.users[0]!.token).toBe('b'.repeat(40));
    expect(errorOf(() => parseConfig(cfg, {})).message).toBe('cameras[0].url: environment variable CAM_PASSWORD is not set');
  });

  it('refuses two users whose names map to the same GATEWAY_TOKEN_<USER> variable, naming both', () => {
    const cfg = base();
    cfg.users.push({ name: 'guard.a', role: 'admin', token: 'c'.repeat(32) }, { name: 'guard-a', role: 'supervisor', token: 'd'.repeat(32) });
    for (const env of [{}, { GATEWAY_TOKEN_GUARD_A: 'e'.repeat(40) }]) {
      const err = errorOf(() => parseConfig(cfg, env));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.path).toBe('users[2].name');
      expect(err.message).toBe("users[2].name: users 'guard.a' (users[1]) and 'guard-a' (users[2]) both take their token from GATEWAY_TOKEN_GUARD_A; rename one");
    }
  });

  it('takes ${VAR:-fallback} when unset or empty; an empty enrolment token counts as absent; credentials live in dataDir', () => {
    const cfg = { ...base(), storage: { dataDir: '/var/lib/gw' }, sync: { url: 'https://central.example', enrolmentToken: '${CENTRAL_ENROLMENT_TOKEN:-}' } };
    const enrolled = parseConfig(cfg, {});
    expect(enrolled.sync!.enrolmentToken).toBeUndefined();
    expect(enrolled.sync!.credentialsFile).toBe(join('/var/lib/gw', 'central-credentials.json'));
    expect(parseConfig(cfg, { CENTRAL_ENROLMENT_TOKEN: 'e'.repeat(32) }).sync!.enrolmentToken).toBe('e'.repeat(32));
    expect(errorOf(() => parseConfig(cfg, { CENTRAL_ENROLMENT_TOKEN: 'short' })).message).toMatch(/^sync\.enrolmentToken:/);
  });

  it("accepts an old site file's camera `role` with one warning naming where it is, and drops it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-config-'));
    const path = join(dir, 'old-site.yaml');
    writeFileSync(path, `site: { id: s1, name: Site }\ncameras:\n  - { id: c1, url: rtsp://127.0.0.1/x, role: entrance }\n  - { id: c2, url: rtsp://127.0.0.1/y }\n  - { id: c3, url: rtsp://127.0.0.1/z, role: queue }\n`);
    const warnings: string[] = [];
    const cameras = loadConfigFile(path, {}, (message) => warnings.push(message)).cameras;
    expect(warnings).toEqual([`${path}: cameras[0].role, cameras[2].role: a camera's \`role\` is read by nothing and is ignored; remove it (a later version will refuse it)`]);
    expect(cameras.map((c) => Object.keys(c).includes('role'))).toEqual([false, false, false]);
    const quiet: string[] = [];
    parseConfig(base(), {}, (message) => quiet.push(message));
    expect(quiet).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads YAML and JSON files and reports syntax errors with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-config-'));
    const yamlPath = join(dir, 'gateway.yaml');
    writeFileSync(yamlPath, `site: { id: s1, name: Site }\ncameras:\n  - id: c1\n    url: rtsp://127.0.0.1/x\n    detectFps: 2\n`);
    expect(loadConfigFile(yamlPath, {}).cameras[0]!.detectFps).toBe(2);
    const jsonPath = join(dir, 'gateway.json');
    writeFileSync(jsonPath, '{"site": ');
    expect(errorOf(() => loadConfigFile(jsonPath, {})).message).toMatch(/gateway\.json is not valid JSON/);
    expect(errorOf(() => loadConfigFile(join(dir, 'missing.yaml'), {})).message).toMatch(/cannot read configuration .*missing\.yaml/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the demo zones', () => {
  it('parse as a camera configuration: queue and entrance line in the hall, a restricted area in the back street', async () => {
    const { DEMO_ZONES } = await import('../demo');
    const cfg = parseConfig({ site: { id: 'd', name: 'D' }, cameras: [{ id: 'hall', url: 'x', zones: DEMO_ZONES['queue-hall'] }, { id: 'street', url: 'x', zones: DEMO_ZONES['back-street'] }] }, {});
    expect(cfg.cameras.map((c) => c.zones.map((z) => `${z.id}:${z.type}`))).toEqual([['queue-a:queue', 'entrance:line'], ['lawn:restricted']]);
  });
});

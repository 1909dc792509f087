import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraSimulator, OnvifDeviceSimulator } from '../../streams/simulator';
import { CameraConfigSchema, type CameraConfig } from '../config';
import { createCameraAdmin, DiscoveryConfigSchema, type CameraAdmin } from '../discovery';
import { startApiRig, type ApiRig } from './api-rig';

const USER = 'installer';
const PASSWORD = 'Lobby-Pa55!';
let sim: CameraSimulator;
let device: OnvifDeviceSimulator;
let rig: ApiRig;
const started: CameraConfig[] = [];
const stopped: string[] = [];
const fileCamera = CameraConfigSchema.parse({ id: 'hall', url: 'rtsp://viewer:file-secret@10.0.0.21/live' });

beforeAll(async () => {
  const credentials = { user: USER, password: PASSWORD };
  sim = await CameraSimulator.start({ cameras: [{ name: 'lobby-main', resolution: '720p', credentials }, { name: 'lobby-sub', resolution: '576p', credentials }] });
  device = await OnvifDeviceSimulator.start({
    credentials,
    profiles: [
      { token: 'main', name: 'MainStream', width: 960, height: 720, fps: 15, uri: sim.url('lobby-main', { credentials: false }) },
      { token: 'sub', name: 'SubStream', width: 768, height: 576, fps: 15, uri: sim.url('lobby-sub', { credentials: false }) },
    ],
  });
  // The admin needs the rig's database and the rig needs the admin: the rig gets a forwarder.
  let admin: CameraAdmin | undefined;
  const forward = (): CameraAdmin => admin!;
  rig = await startApiRig({
    cameraAdmin: {
      discover: () => forward().discover(),
      device: (login) => forward().device(login),
      still: (request) => forward().still(request),
      cameras: () => forward().cameras(),
      add: (input, user, at, also) => forward().add(input, user, at, also),
      remove: (id, also) => forward().remove(id, also),
    },
  });
  admin = createCameraAdmin({
    db: rig.db,
    fileCameras: [fileCamera],
    config: DiscoveryConfigSchema.parse({ probeAddress: '127.0.0.1', probePort: device.discoveryPort, timeoutMs: 500, maxRuntimeCameras: 2 }),
    startCamera: (camera) => {
      if (camera.id === 'refused') throw new Error('the gateway refused it');
      started.push(camera);
    },
    stopCamera: (id) => {
      stopped.push(id);
    },
    log: { info: () => undefined, warn: () => undefined },
  });
}, 60_000);

afterAll(async () => {
  await rig?.stop();
  await device?.stop();
  await sim?.stop();
});

const post = (path: string, body?: unknown) => rig.call('POST', path, 'admin', body);

describe('Add camera API (admin)', () => {
  it('discovers the simulated device by a unicast probe', async () => {
    const res = await post('/api/admin/discovery');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ devices: [expect.objectContaining({ xaddr: device.xaddr, endpoint: device.endpoint, name: 'EdgeSim Lobby' })] });
  });

  it('reads the profiles with the right credentials; the URIs carry none', async () => {
    const res = await post('/api/admin/discovery/device', { xaddr: device.xaddr, username: USER, password: PASSWORD });
    expect(res.status).toBe(200);
    const details = (await res.json()) as { model: string; profiles: Array<{ token: string; uri: string; width: number }> };
    expect(details.model).toBe('ES-IPC-2M');
    expect(details.profiles.map((p) => [p.token, p.uri, p.width])).toEqual([
      ['main', sim.url('lobby-main', { credentials: false }), 960],
      ['sub', sim.url('lobby-sub', { credentials: false }), 768],
    ]);
    expect(JSON.stringify(details)).not.toContain(PASSWORD);
  });

  it("answers 422 (not 401, which is about the caller's own session) naming the password for wrong credentials, without echoing it", async () => {
    const res = await post('/api/admin/discovery/device', { xaddr: device.xaddr, username: USER, password: 'wrong-password-123' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; field: string };
    expect(body.field).toBe('password');
    expect(body.error).not.toContain('wrong-password-123');
  });

  it('takes a still from the chosen sub-stream through the RTSP simulator', async () => {
    const res = await post('/api/admin/cameras/test', { url: sim.url('lobby-sub', { credentials: false }), username: USER, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 768, 576]);
  }, 30_000);

  it('says a stream refused with wrong credentials gave no still, without the password', async () => {
    const res = await post('/api/admin/cameras/test', { url: sim.url('lobby-sub', { credentials: false }), username: USER, password: 'wrong-password-123' });
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: string; field: string };
    expect(body.field).toBe('url');
    expect(body.error).not.toContain('wrong-password-123');
  }, 30_000);

  it('rejects bad input with errors naming the field', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['/api/admin/discovery/device', { xaddr: 'ftp://10.0.0.5/', username: USER, password: 'x' }, 'xaddr'],
      ['/api/admin/discovery/device', { xaddr: device.xaddr, username: 'a<b', password: 'x' }, 'username'],
      ['/api/admin/cameras/test', { url: 'file:///etc/passwd' }, 'url'],
      ['/api/admin/cameras', { id: 'bad id!', url: 'rtsp://10.0.0.5/live' }, 'id'],
      ['/api/admin/cameras', { id: '..', url: 'rtsp://10.0.0.5/live' }, 'id'],
      ['/api/admin/cameras', { id: 'cam2', url: '/dev/video0' }, 'url'],
      ['/api/admin/cameras', { id: 'cam2', url: 'rtsp://10.0.0.5/live', detectFps: 99 }, 'detectFps'],
      ['/api/admin/cameras', { id: 'cam2', url: 'rtsp://10.0.0.5/live', password: 'p' }, 'username'],
    ];
    for (const [path, body, field] of cases) {
      const res = await post(path, body);
      expect([path, res.status, ((await res.json()) as { field?: string }).field]).toEqual([path, 400, field]);
    }
    const extra = await post('/api/admin/cameras', { id: 'cam2', url: 'rtsp://10.0.0.5/live', inputOptions: ['-f', 'lavfi'] });
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { error: string }).error).toContain('inputOptions');
    const clash = await post('/api/admin/cameras', { id: 'hall', url: 'rtsp://10.0.0.5/live' });
    expect(clash.status).toBe(409);
    expect(await clash.json()).toMatchObject({ field: 'id', error: expect.stringContaining('configuration file') });
    expect(started).toEqual([]);
  });

  it('saves a camera: the row in SQLite, started at once, audited, listed as run-time without credentials', async () => {
    const url = sim.url('lobby-sub', { credentials: false });
    const res = await post('/api/admin/cameras', { id: 'lobby', name: 'Lobby', url, username: USER, password: PASSWORD, detectFps: 4, device: device.xaddr });
    expect(res.status).toBe(201);
    const row = rig.db.prepare('SELECT config, added_by AS addedBy, device FROM runtime_cameras WHERE id = ?').get('lobby') as { config: string; addedBy: string; device: string };
    expect(row.addedBy).toBe('admin1');
    expect(row.device).toBe(device.xaddr);
    const stored = JSON.parse(row.config) as CameraConfig;
    expect(stored.url).toBe(sim.url('lobby-sub'));
    expect(started.map((c) => [c.id, c.url, c.detectFps])).toEqual([['lobby', sim.url('lobby-sub'), 4]]);
    expect(rig.audit()).toContainEqual({ user: 'admin1', action: 'add_camera', subject: 'camera:lobby' });

    const list = await rig.call('GET', '/api/admin/cameras', 'admin');
    const text = await list.text();
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('file-secret');
    const { cameras } = JSON.parse(text) as { cameras: Array<Record<string, unknown>> };
    expect(cameras).toEqual([
      expect.objectContaining({ id: 'hall', origin: 'config', url: 'rtsp://viewer:***@10.0.0.21/live' }),
      expect.objectContaining({ id: 'lobby', name: 'Lobby', origin: 'runtime', addedBy: 'admin1', device: device.xaddr, detectFps: 4 }),
    ]);
    expect(cameras[1]!.url).toBe(`rtsp://${USER}:***@127.0.0.1:${sim.securePort}/lobby-sub`);

    const again = await post('/api/admin/cameras', { id: 'lobby', url });
    expect(again.status).toBe(409);
  });

  it('keeps no row when the gateway refuses to start the camera, and bounds the run-time cameras', async () => {
    const refused = await post('/api/admin/cameras', { id: 'refused', url: 'rtsp://10.0.0.9/live' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toContain('the gateway refused it');
    expect(rig.db.prepare("SELECT COUNT(*) AS n FROM runtime_cameras WHERE id = 'refused'").get()).toEqual({ n: 0 });
    expect(rig.audit().filter((a) => a.subject === 'camera:refused')).toEqual([]);
    expect((await post('/api/admin/cameras', { id: 'second', url: 'rtsp://10.0.0.9/live' })).status).toBe(201);
    const third = await post('/api/admin/cameras', { id: 'third', url: 'rtsp://10.0.0.9/live' });
    expect(third.status).toBe(409);
    expect(((await third.json()) as { error: string }).error).toContain('maxRuntimeCameras');
  });

  it('removes a run-time camera (row gone, stopped, audited) and refuses to remove a configured one', async () => {
    const res = await rig.call('DELETE', '/api/admin/cameras/second', 'admin');
    expect(await res.json()).toEqual({ removed: 'second', stopped: true });
    expect(stopped).toEqual(['second']);
    expect(rig.audit()).toContainEqual({ user: 'admin1', action: 'remove_camera', subject: 'camera:second' });
    expect((await rig.call('DELETE', '/api/admin/cameras/hall', 'admin')).status).toBe(409);
    expect((await rig.call('DELETE', '/api/admin/cameras/second', 'admin')).status).toBe(404);
  });

  it('refuses every route to supervisors, security and ops (403)', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['POST', '/api/admin/discovery'],
      ['POST', '/api/admin/discovery/device', { xaddr: device.xaddr, username: USER, password: PASSWORD }],
      ['POST', '/api/admin/cameras/test', { url: sim.url('lobby-sub', { credentials: false }) }],
      ['GET', '/api/admin/cameras'],
      ['POST', '/api/admin/cameras', { id: 'x1', url: 'rtsp://10.0.0.9/live' }],
      ['DELETE', '/api/admin/cameras/lobby'],
    ];
    for (const role of ['supervisor', 'security', 'ops'] as const) {
      for (const [method, path, body] of routes) expect([role, method, path, (await rig.call(method, path, role, body)).status]).toEqual([role, method, path, 403]);
    }
    expect(device.requests.filter((r) => r.endsWith('!'))).toEqual(['GetServices!', 'GetCapabilities!']);
  });
});

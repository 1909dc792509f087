import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONVIF_LOGIN, startOnvifGateway, type OnvifGatewayRig } from './onvif-rig';

interface CameraLive {
  camera: { cameraId: string; state: string; framesDelivered: number; url: string };
  detectedFrames: number;
}

let rig: OnvifGatewayRig;

beforeAll(async () => {
  rig = await startOnvifGateway();
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

/** Waits until the camera has delivered frames and its pipeline has run detection on some. */
async function streams(id: string): Promise<CameraLive> {
  const deadline = Date.now() + 60_000;
  let seen: CameraLive | undefined;
  while (Date.now() < deadline) {
    const { json } = await rig.api<{ cameras: CameraLive[] }>('/api/cameras');
    seen = json.cameras.find((c) => c.camera.cameraId === id);
    if (seen && seen.camera.state === 'streaming' && seen.camera.framesDelivered > 0 && seen.detectedFrames > 0) return seen;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`camera '${id}' did not stream within 60 s: ${JSON.stringify(seen?.camera ?? 'not listed')}`);
}

describe('a camera added from discovery, in a running gateway', () => {
  it('streams without a restart, and again after a restart from its stored row', async () => {
    const found = await rig.api<{ devices: Array<{ xaddr: string }> }>('/api/admin/discovery', { method: 'POST' });
    expect(found.json.devices.map((d) => d.xaddr)).toEqual([rig.device.xaddr]);
    const details = await rig.api<{ profiles: Array<{ token: string; uri: string }> }>('/api/admin/discovery/device', {
      method: 'POST',
      body: { xaddr: rig.device.xaddr, username: ONVIF_LOGIN.user, password: ONVIF_LOGIN.password },
    });
    const sub = details.json.profiles.find((p) => p.token === 'sub')!;
    const saved = await rig.api('/api/admin/cameras', {
      method: 'POST',
      body: { id: 'lobby', name: 'Lobby', url: sub.uri, username: ONVIF_LOGIN.user, password: ONVIF_LOGIN.password, detectFps: 2, device: rig.device.xaddr },
    });
    expect(saved.status).toBe(201);

    const live = await streams('lobby');
    expect(live.camera.url).not.toContain(ONVIF_LOGIN.password);
    await streams('hall');

    await rig.restart();
    await streams('lobby');
    const list = await rig.api<{ cameras: Array<{ id: string; origin: string }> }>('/api/admin/cameras');
    expect(list.json.cameras.map((c) => [c.id, c.origin])).toEqual([
      ['hall', 'config'],
      ['lobby', 'runtime'],
    ]);

    // The zone editor takes the run-time camera like a configured one.
    const zones = [{ id: 'door', type: 'count', points: [[0, 0], [0.5, 0], [0.5, 1], [0, 1]] }];
    const put = await rig.api<{ source: string }>('/api/cameras/lobby/zones', { method: 'PUT', body: { zones } });
    expect([put.status, put.json.source]).toEqual([200, 'saved']);

    // Removed: stopped at once and gone from the lists.
    const removed = await rig.api('/api/admin/cameras/lobby', { method: 'DELETE' });
    expect(removed).toEqual({ status: 200, json: { removed: 'lobby', stopped: true } });
    const after = await rig.api<{ cameras: CameraLive[] }>('/api/cameras');
    expect(after.json.cameras.map((c) => c.camera.cameraId)).toEqual(['hall']);
    const listed = await rig.api<{ cameras: Array<{ id: string }> }>('/api/admin/cameras');
    expect(listed.json.cameras.map((c) => c.id)).toEqual(['hall']);
  }, 180_000);
});

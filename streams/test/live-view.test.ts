import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { alive, waitFor } from '../../test-helpers/processes';
import { parseCameraSource, type ParsedCameraSource } from '../camera';
import { LiveViewHub } from '../live';
import { CameraSimulator } from '../simulator';

let sim: CameraSimulator;
let server: Server;
let hub: LiveViewHub;
let base: string;
const cameras = new Map<string, ParsedCameraSource>();

beforeAll(async () => {
  sim = await CameraSimulator.start({ cameras: [{ name: 'cam1' }, { name: 'cam2' }] });
  for (const name of ['cam1', 'cam2']) cameras.set(name, parseCameraSource({ id: name, url: sim.url(name) }));
  cameras.set('dead', parseCameraSource({ id: 'dead', url: 'rtsp://127.0.0.1:9/none' }));
  hub = new LiveViewHub((id) => cameras.get(id), { maxRelays: 1, width: 320 });
  server = createServer((_req, res) => res.writeHead(404).end());
  hub.attachTo(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/live/`;
});
afterAll(async () => {
  await hub?.close();
  server?.close();
  await sim?.stop();
});

describe('live view relay', () => {
  it('streams MPEG-1 in MPEG-TS to a websocket viewer and stops its ffmpeg when the viewer leaves', async () => {
    const ws = new WebSocket(`${base}cam1`);
    const chunks: Buffer[] = [];
    ws.on('message', (data: Buffer) => chunks.push(data));
    expect(await waitFor(() => Buffer.concat(chunks).length > 50_000, 20_000)).toBe(true);
    const stream = Buffer.concat(chunks);
    expect(stream[0]).toBe(0x47); // MPEG-TS sync byte
    expect(stream.includes(Buffer.from([0x00, 0x00, 0x01, 0xb3]))).toBe(true); // MPEG-1 sequence header
    const [relay] = hub.relaysInfo();
    expect(relay).toMatchObject({ cameraId: 'cam1', viewers: 1 });
    const pid = relay!.pid!;
    expect(alive(pid)).toBe(true);
    ws.close();
    expect(await waitFor(() => !alive(pid), 5000)).toBe(true);
    expect(hub.relaysInfo()).toHaveLength(0);
  });

  it('refuses a viewer beyond the relay cap and an unknown camera', async () => {
    const first = new WebSocket(`${base}cam1`);
    await new Promise((resolve) => first.once('open', resolve));
    const second = new WebSocket(`${base}cam2`);
    const code = await new Promise<number>((resolve) => second.once('close', (c) => resolve(c)));
    expect(code).toBe(1013);
    const unknown = new WebSocket(`${base}nope`);
    const error = await new Promise<Error>((resolve) => unknown.once('error', resolve));
    expect(error.message).toMatch(/404/);
    first.close();
    expect(await waitFor(() => hub.relaysInfo().length === 0, 5000)).toBe(true);
  });

  it('a relay that cannot reach its camera fails alone: the viewer stays connected and nothing crashes', async () => {
    const ws = new WebSocket(`${base}dead`);
    await new Promise((resolve) => ws.once('open', resolve));
    expect(await waitFor(() => (hub.relaysInfo()[0]?.restarts ?? 0) >= 1, 10_000)).toBe(true);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
    expect(await waitFor(() => hub.relaysInfo().length === 0, 5000)).toBe(true);
  });
});

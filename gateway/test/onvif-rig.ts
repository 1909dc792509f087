import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { CameraSimulator, OnvifDeviceSimulator } from '../../streams/simulator';
import { parseConfig, type GatewayConfig } from '../config';
import { GatewayService } from '../service';

export const ONVIF_LOGIN = { user: 'installer', password: 'Lobby-Pa55!' };
export const ADMIN_TOKEN = 'onvif-admin-token-0123456789abcdef';
export const SUPERVISOR_TOKEN = 'onvif-supervisor-token-0123456789';

export interface OnvifGatewayRig {
  sim: CameraSimulator;
  device: OnvifDeviceSimulator;
  config: GatewayConfig;
  gateway: GatewayService;
  dataDir: string;
  /** Bearer-token JSON call to the running gateway (admin unless a token is given). */
  api<T>(path: string, init?: { method?: string; body?: unknown; token?: string }): Promise<{ status: number; json: T }>;
  /** Stops the gateway and starts it again on the same configuration and database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real gateway with one configured camera (`hall`) over the RTSP simulator, and a simulated ONVIF
 * device whose main and sub profiles stream from the simulator behind credentials; the gateway's
 * discovery probes the device by unicast on 127.0.0.1.
 */
export async function startOnvifGateway(): Promise<OnvifGatewayRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-onvif-'));
  const credentials = ONVIF_LOGIN;
  const sim = await CameraSimulator.start({ cameras: [{ name: 'hall', resolution: '576p' }, { name: 'lobby-main', resolution: '720p', credentials }, { name: 'lobby-sub', resolution: '576p', credentials }] });
  const device = await OnvifDeviceSimulator.start({
    credentials,
    identity: { name: 'Lobby camera' },
    profiles: [
      { token: 'main', name: 'MainStream', width: 960, height: 720, fps: 15, uri: sim.url('lobby-main', { credentials: false }) },
      { token: 'sub', name: 'SubStream', width: 768, height: 576, fps: 15, uri: sim.url('lobby-sub', { credentials: false }) },
    ],
  });
  const config = parseConfig({
    site: { id: 'onvif', name: 'ONVIF test site' },
    cameras: [{ id: 'hall', url: sim.url('hall'), detectFps: 2 }],
    users: [
      { name: 'admin1', role: 'admin', token: ADMIN_TOKEN },
      { name: 'supervisor1', role: 'supervisor', token: SUPERVISOR_TOKEN },
    ],
    storage: { dataDir },
    api: { host: '127.0.0.1', port: 0 },
    models: { inferenceWorkers: 1, threadsPerWorker: 1 },
    discovery: { probeAddress: '127.0.0.1', probePort: device.discoveryPort, timeoutMs: 500 },
  });
  const log = pino({ level: 'warn' });
  const rig: OnvifGatewayRig = {
    sim,
    device,
    config,
    gateway: await GatewayService.start(config, log),
    dataDir,
    async api<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
      const res = await fetch(`${rig.gateway.url}${path}`, {
        signal: AbortSignal.timeout(20_000),
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      const type = res.headers.get('content-type') ?? '';
      return { status: res.status, json: (type.includes('json') ? await res.json() : await res.text()) as T };
    },
    async restart() {
      await rig.gateway.stop();
      rig.gateway = await GatewayService.start(config, log);
    },
    async stop() {
      await rig.gateway.stop();
      await device.stop();
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return rig;
}

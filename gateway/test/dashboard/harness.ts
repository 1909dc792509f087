import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../../../test-helpers/browser';
import { CameraSimulator, type SimulatedCamera } from '../../../streams';
import { parseConfig, type Role } from '../../config';
import { GatewayService } from '../../service';

export const TOKENS: Record<Role, string> = {
  supervisor: 'dash-supervisor-token-0123456789',
  security: 'dash-security-token-0123456789ab',
  ops: 'dash-ops-token-0123456789abcdefgh',
  admin: 'dash-admin-token-0123456789abcdef',
};

export interface DashboardRig {
  gateway: GatewayService;
  sim: CameraSimulator;
  browser: Browser;
  url: string;
  dataDir: string;
  /** A fresh browser context (own cookies) logged in as `role` through POST /api/login, with `lang`. */
  loginAs(role: Role, lang?: 'vi' | 'en'): Promise<{ context: BrowserContext; page: Page }>;
  /** Bearer-token API call, for arranging and checking state beside the browser. */
  api<T>(path: string, init?: { method?: string; body?: unknown; role?: Role }): Promise<{ status: number; json: T }>;
  stop(): Promise<void>;
}

export interface RigOptions {
  /** Extra simulator cameras (e.g. a still photo looped, for the face path). */
  extraCameras?: SimulatedCamera[];
  /** Extra camera entries for the gateway config, given the simulator. */
  extraConfig?: (sim: CameraSimulator) => unknown[];
  /** More zones on the `hall` camera (e.g. an entrance line). */
  extraHallZones?: unknown[];
}

/**
 * The dashboard's test rig: the RTSP simulator with the pedestrian video on two cameras (`hall` with a
 * queue and a counter zone, `street` with a restricted zone), a real gateway on a loopback port with
 * a configured user per role, and Debian's chromium.
 */
export async function startRig(options: RigOptions = {}): Promise<DashboardRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-dash-'));
  const sim = await CameraSimulator.start({ cameras: [{ name: 'hall' }, { name: 'street' }, ...(options.extraCameras ?? [])] });
  const config = parseConfig({
    site: { id: 'dash', name: 'Dashboard test site' },
    cameras: [
      {
        id: 'hall',
        url: sim.url('hall'),
        zones: [
          { id: 'line', type: 'queue', points: [[0, 0.35], [0.45, 0.35], [0.45, 1], [0, 1]], maxLength: 1, maxWaitSeconds: 60 },
          { id: 'desk', type: 'counter', points: [[0.5, 0.4], [0.7, 0.4], [0.7, 0.8], [0.5, 0.8]] },
          ...(options.extraHallZones ?? []),
        ],
      },
      { id: 'street', url: sim.url('street'), zones: [{ id: 'staff', type: 'restricted', points: [[0.6, 0.3], [1, 0.3], [1, 1], [0.6, 1]] }] },
      ...(options.extraConfig?.(sim) ?? []),
    ],
    users: (Object.keys(TOKENS) as Role[]).map((role) => ({ name: `${role}1`, role, token: TOKENS[role] })),
    storage: { dataDir },
    api: { host: '127.0.0.1', port: 0 },
  });
  const gateway = await GatewayService.start(config, pino({ level: 'warn' }));
  const browser = await launchBrowser();
  const url = gateway.url;
  const contexts: BrowserContext[] = [];
  return {
    gateway,
    sim,
    browser,
    url,
    dataDir,
    async loginAs(role, lang = 'en') {
      const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      await context.addCookies([{ name: 'lang', value: lang, url }]);
      const res = await context.request.post('/api/login', { data: { token: TOKENS[role] }, headers: { origin: url } });
      if (res.status() !== 200) throw new Error(`login as ${role}: ${res.status()} ${await res.text()}`);
      return { context, page: await context.newPage() };
    },
    async api<T>(path: string, init: { method?: string; body?: unknown; role?: Role } = {}) {
      const res = await fetch(`${url}${path}`, {
        signal: AbortSignal.timeout(15_000),
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${TOKENS[init.role ?? 'admin']}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      const type = res.headers.get('content-type') ?? '';
      return { status: res.status, json: (type.includes('json') ? await res.json() : await res.text()) as T };
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await gateway.stop();
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CentralServer } from '../../central-sync/server';
import { ADMIN_TOKEN, api, startTestServer, TestClock, type BackendName } from '../../central-sync/test/helpers/central';
import { launchBrowser } from '../../test-helpers/browser';
import { CameraSimulator } from '../../streams';
import { parseConfig } from '../config';
import { GatewayService } from '../service';
import { QueueStatStore, type QueueStatRow, type Severity } from '../store';

/**
 * The console's acceptance rig: a real central server (SQLite or PostgreSQL) fed by two real
 * gateways (GatewayService, enrolled with their own enrolment tokens, heartbeating every 5 s with
 * the wire v3 performance summary), the RTSP simulator for one gateway's camera, a dead camera
 * URL for the other's, and Debian's chromium. One rig per backend serves every flow.
 */

export const HEARTBEAT_SECONDS = 5;
/** Nothing listens on the discard port: the camera goes starting -> reconnecting (connection_refused). */
export const DEAD_CAMERA_URL = 'rtsp://127.0.0.1:9/none';

export interface SiteSpec {
  id: string;
  /** The site's name at central (given with its enrolment token). */
  siteName: string;
  /** The gateway's name (its config's site name, sent at enrolment). */
  name: string;
  camera: string;
}

/** North streams a real camera (the simulator); south's camera URL is dead. */
export const NORTH: SiteSpec = { id: 'north-mall', siteName: 'Trung tâm thương mại Bắc', name: 'Gateway Bắc 1', camera: 'lobby' };
export const SOUTH: SiteSpec = { id: 'south-depot', siteName: 'Kho hàng Nam', name: 'Gateway Nam 1', camera: 'gate' };

export interface RigSite extends SiteSpec {
  gateway: GatewayService;
  /** The id central gave this gateway at enrolment. */
  gatewayId: string;
  dataDir: string;
  /** The site's enrolment token (a secret: tests only compare it, never print it). */
  enrolmentToken: string;
  /** Stops this gateway now (idempotent); the rig's stop() skips a stopped one. */
  stop(): Promise<void>;
  stopped: boolean;
}

export interface NewRigEvent {
  type: string;
  severity: Severity;
  zoneId?: string;
  trackId?: number;
  data?: Record<string, unknown>;
  at?: number;
}

export interface CentralAnswer<T> {
  status: number;
  json: T;
}

export interface ConsoleRig {
  backend: BackendName;
  central: CentralServer;
  /** Central's clock (offset 0 unless a test moves it, e.g. past the stale threshold once a gateway is stopped). */
  clock: TestClock;
  sim: CameraSimulator;
  north: RigSite;
  south: RigSite;
  browser: Browser;
  /** A bearer-token call to central (default: the bootstrap admin token). */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, token?: string): Promise<CentralAnswer<T>>;
  /** Uncaught script errors and console errors of every page opened through newContext, as "<url>: <text>". */
  browserErrors: string[];
  /** A fresh browser context (own cookies, 1280x900, Asia/Ho_Chi_Minh, language cookie) on central's origin. */
  newContext(lang?: 'vi' | 'en'): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * Raises an event on the site's gateway through its event store (the same EventStore.start the
   * pipeline's sink calls: the event row and its sync-outbox record in one transaction) and wakes
   * the uplink. Answers the event's uid.
   */
  raiseEvent(site: RigSite, e: NewRigEvent): string;
  updateEvent(site: RigSite, uid: string, data: Record<string, unknown>, at?: number): void;
  endEvent(site: RigSite, uid: string, data: Record<string, unknown>, at?: number): void;
  /**
   * One finished minute of a queue zone, written as the pipeline's onMinute does (gateway queue_stats
   * row and its outbox record in one transaction).
   */
  queueMinute(site: RigSite, stat: QueueStatRow): void;
  /** Waits until central holds the event (by uid) with `endedAt` set when `ended`. */
  eventAtCentral(site: RigSite, uid: string, opts?: { ended?: boolean; timeoutMs?: number }): Promise<CentralEventJson>;
  /** Waits until the site's outbox is empty and central has acknowledged everything. */
  drained(site: RigSite, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface CentralEventJson {
  id: number;
  uid: string;
  siteId: string;
  gatewayId: string;
  cameraId: string;
  type: string;
  severity: string;
  startedAt: number;
  updatedAt: number;
  endedAt: number | null;
  data: Record<string, unknown>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it answers something other than undefined; throws naming `what` on timeout. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, stepMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

async function startSite(central: CentralServer, spec: SiteSpec, cameraUrl: string): Promise<RigSite> {
  const dataDir = mkdtempSync(join(tmpdir(), `gw-console-${spec.id}-`));
  const enrolment = await api(central.url, 'POST', '/v1/admin/enrolments', ADMIN_TOKEN, { siteId: spec.id, siteName: spec.siteName });
  if (enrolment.status !== 201) throw new Error(`enrolment token for ${spec.id}: ${enrolment.status} ${JSON.stringify(enrolment.json)}`);
  const enrolmentToken = String(enrolment.json.token);
  const config = parseConfig({
    site: { id: spec.id, name: spec.name },
    // Cheap: one detection a second on a small frame, no clip buffer, one single-threaded ORT worker.
    cameras: [{ id: spec.camera, url: cameraUrl, detectFps: 1, detectSize: { width: 320, height: 180 }, clips: false }],
    models: { inferenceWorkers: 1, threadsPerWorker: 1 },
    users: [{ name: 'admin', role: 'admin', token: `console-rig-${randomBytes(12).toString('hex')}` }],
    storage: { dataDir },
    api: { host: '127.0.0.1', port: 0 },
    sync: { url: central.url, enrolmentToken, credentialsFile: join(dataDir, 'central.json'), heartbeatSeconds: HEARTBEAT_SECONDS },
  });
  let gateway: GatewayService | undefined;
  let gatewayId: string;
  try {
    gateway = await GatewayService.start(config, pino({ level: 'warn' }));
    const started = gateway;
    gatewayId = await until(`${spec.id} to enrol`, () => started.sync.status().gatewayId ?? undefined, 30_000);
  } catch (err) {
    // Nothing of a half-started site outlives the failure.
    await gateway?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const site: RigSite = {
    ...spec,
    gateway,
    gatewayId,
    dataDir,
    enrolmentToken,
    stopped: false,
    async stop() {
      if (site.stopped) return;
      site.stopped = true;
      await gateway.stop();
    },
  };
  return site;
}

export async function startConsoleRig(backend: BackendName, databaseUrl: string): Promise<ConsoleRig> {
  const started: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    started.length = 0;
  };
  try {
    const clock = new TestClock();
    const central = await startTestServer(databaseUrl, { now: clock.now });
    started.push(() => central.close());
    const sim = await CameraSimulator.start({ cameras: [{ name: NORTH.camera, resolution: '720p' }] });
    started.push(() => sim.stop());
    const north = await startSite(central, NORTH, sim.url(NORTH.camera));
    started.push(async () => {
      await north.stop();
      rmSync(north.dataDir, { recursive: true, force: true });
    });
    const south = await startSite(central, SOUTH, DEAD_CAMERA_URL);
    started.push(async () => {
      await south.stop();
      rmSync(south.dataDir, { recursive: true, force: true });
    });
    const browser = await launchBrowser();
    const contexts: BrowserContext[] = [];
    started.push(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    });
    const call = async <T>(method: string, path: string, body?: unknown, token = ADMIN_TOKEN): Promise<CentralAnswer<T>> => {
      const r = await api(central.url, method, path, token, body);
      return { status: r.status, json: r.json as T };
    };
    const queueStores = new Map<RigSite, QueueStatStore>();
    const wake = (site: RigSite) => site.gateway.sync.uplink?.wake();
    const rig: ConsoleRig = {
      backend,
      central,
      clock,
      sim,
      north,
      south,
      browser,
      browserErrors: [],
      call,
      async newContext(lang = 'en') {
        // The data centre's staff are in the sites' time zone: the pages' times and the queue chart's axis read in it.
        const context = await browser.newContext({ baseURL: central.url, viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Ho_Chi_Minh' });
        contexts.push(context);
        await context.addCookies([{ name: 'lang', value: lang, url: central.url }]);
        const page = await context.newPage();
        page.on('pageerror', (err) => rig.browserErrors.push(`${page.url()}: ${err.message}`));
        page.on('console', (m) => {
          if (m.type() === 'error') rig.browserErrors.push(`${page.url()}: ${m.text()}`);
        });
        return { context, page };
      },
      raiseEvent(site, e) {
        const uid = randomUUID();
        site.gateway.events.start({
          uid,
          cameraId: site.camera,
          type: e.type,
          severity: e.severity,
          at: e.at ?? Date.now(),
          ...(e.zoneId !== undefined ? { zoneId: e.zoneId } : {}),
          ...(e.trackId !== undefined ? { trackId: e.trackId } : {}),
          ...(e.data !== undefined ? { data: e.data } : {}),
        });
        wake(site);
        return uid;
      },
      updateEvent(site, uid, data, at = Date.now()) {
        if (!site.gateway.events.update(uid, at, data)) throw new Error(`no event ${uid} on ${site.id}`);
        wake(site);
      },
      endEvent(site, uid, data, at = Date.now()) {
        if (!site.gateway.events.end(uid, at, data)) throw new Error(`no event ${uid} on ${site.id}`);
        wake(site);
      },
      queueMinute(site, stat) {
        const { db } = site.gateway;
        let store = queueStores.get(site);
        if (!store) {
          store = new QueueStatStore(db);
          queueStores.set(site, store);
        }
        const write = store;
        db.transaction(() => {
          write.upsert(stat);
          site.gateway.sync.records.queueStat(stat);
        })();
        wake(site);
      },
      async eventAtCentral(site, uid, opts = {}) {
        return until(
          `event ${uid} of ${site.id} at central${opts.ended ? ' (ended)' : ''}`,
          async () => {
            const r = await call<{ events: CentralEventJson[] }>('GET', `/v1/events?site=${site.id}&limit=1000`);
            const found = r.json.events?.find((e) => e.uid === uid);
            return found && (!opts.ended || found.endedAt !== null) ? found : undefined;
          },
          opts.timeoutMs ?? 20_000,
        );
      },
      async drained(site, timeoutMs = 20_000) {
        await until(
          `${site.id}'s outbox to drain`,
          () => {
            const s = site.gateway.sync.status();
            return s.backlog === 0 && s.connected ? true : undefined;
          },
          timeoutMs,
        );
      },
      stop: stopAll,
    };
    return rig;
  } catch (err) {
    await stopAll();
    throw err;
  }
}

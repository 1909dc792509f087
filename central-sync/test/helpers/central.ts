import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll } from 'vitest';
import { startCentralServer, type CentralServer, type CentralServerOptions } from '../../server';
import { PATHS, signedHeaders, WIRE_VERSION, type EnrolResponse, type SyncRecord } from '../../wire';
import { unavailable } from '../../../test-helpers/skips';
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export type BackendName = 'sqlite' | 'postgres';
export const BACKENDS: BackendName[] = ['sqlite', 'postgres'];

const pgMissing = unavailable('PostgreSQL (central-sync)', postgresUnavailable());
/** For describe.skipIf: PostgreSQL suites run only where its binaries are installed. */
export const skipBackend = (name: BackendName): boolean => name === 'postgres' && pgMissing !== undefined;

/**
 * Per test file: fresh databases on demand. SQLite files live in a temp dir; PostgreSQL databases
 * in one throwaway cluster started on first use. Everything is removed in afterAll.
 */
export function useDatabases(): { fresh(backend: BackendName): Promise<string> } {
  let dir: string | undefined;
  let cluster: Promise<TestPostgres> | undefined;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'central-test-'));
  });
  afterAll(async () => {
    if (cluster) (await cluster.catch(() => undefined))?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    async fresh(backend) {
      n += 1;
      if (backend === 'sqlite') return `sqlite:${join(dir!, `central-${n}.sqlite`)}`;
      cluster ??= startPostgres();
      return (await cluster).createDatabase(`central_${process.pid}_${n}`);
    },
  };
}

/** A settable server clock: tests move it to expire tokens or age requests. */
export class TestClock {
  offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
}

export async function startTestServer(databaseUrl: string, options: Partial<CentralServerOptions> = {}): Promise<CentralServer> {
  return startCentralServer({ databaseUrl, host: '127.0.0.1', port: 0, adminToken: ADMIN_TOKEN, ...options });
}

export interface TestGateway {
  id: string;
  siteId: string;
  secret: string;
}

export async function api(baseUrl: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export async function createEnrolmentToken(baseUrl: string, siteId: string, ttlHours?: number): Promise<string> {
  const r = await api(baseUrl, 'POST', '/v1/admin/enrolments', ADMIN_TOKEN, { siteId, siteName: `Site ${siteId}`, ...(ttlHours ? { ttlHours } : {}) });
  if (r.status !== 201) throw new Error(`enrolment token: ${r.status} ${JSON.stringify(r.json)}`);
  return String(r.json.token);
}

export async function enrolGateway(baseUrl: string, siteId: string): Promise<TestGateway> {
  const token = await createEnrolmentToken(baseUrl, siteId);
  const r = await api(baseUrl, 'POST', PATHS.enrol, undefined, { version: WIRE_VERSION, token, gatewayName: `gw at ${siteId}` });
  if (r.status !== 200) throw new Error(`enrol: ${r.status} ${JSON.stringify(r.json)}`);
  const e = r.json as unknown as EnrolResponse;
  return { id: e.gatewayId, siteId: e.siteId, secret: e.secret };
}

export interface SendOptions {
  gzip?: boolean;
  /** Client clock used to sign (default: now). */
  now?: number;
  /** Sign with this secret instead of the gateway's. */
  secret?: string;
  /** Replace the signed bytes after signing (tampering). */
  sendInstead?: Buffer;
  /** Reuse these signature headers (replay). */
  headers?: Record<string, string>;
  contentType?: string;
  contentEncoding?: string;
}

export interface SendResult {
  status: number;
  json: Record<string, unknown>;
  /** The signature headers sent, for replaying. */
  headers: Record<string, string>;
}

/** Signs like a gateway does (wire signedHeaders over the exact bytes sent) and posts. */
export async function sendSigned(baseUrl: string, path: string, gw: TestGateway, body: unknown, o: SendOptions = {}): Promise<SendResult> {
  const json = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const bytes = o.gzip ? gzipSync(json) : json;
  const sig = o.headers ?? signedHeaders(gw.id, o.secret ?? gw.secret, 'POST', path, bytes, o.now ?? Date.now());
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      ...sig,
      'content-type': o.contentType ?? 'application/json',
      ...(o.gzip || o.contentEncoding ? { 'content-encoding': o.contentEncoding ?? 'gzip' } : {}),
    },
    body: o.sendInstead ?? bytes,
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { unparsable: text };
  }
  return { status: res.status, json: parsed, headers: sig };
}

export const batch = (gatewayId: string, records: SyncRecord[]) => ({ version: WIRE_VERSION, gatewayId, records });

/** A mixed run of records: event, update, queue stat and camera health in turn, seq from `from`. */
export function mixedRecords(from: number, count: number, at = Date.now()): SyncRecord[] {
  return Array.from({ length: count }, (_, i): SyncRecord => {
    const seq = from + i;
    const t = at + i;
    switch (seq % 4) {
      case 0:
        return { seq, kind: 'event', at: t, payload: { uid: `ev-${seq}`, cameraId: `cam${seq % 3}`, zoneId: 'z1', trackId: seq, type: 'loitering', severity: 'medium', at: t, data: { n: seq } } };
      case 1:
        return { seq, kind: 'event_update', at: t, payload: { uid: `ev-${seq - 1}`, at: t, phase: 'update', data: { dwellS: seq } } };
      case 2:
        return {
          seq,
          kind: 'queue_stat',
          at: t,
          payload: { cameraId: `cam${seq % 3}`, zoneId: 'q1', minute: Math.floor(t / 60_000) * 60_000 - (seq % 50) * 60_000, avgCount: 2.5, maxCount: 4, departures: 3, estWaitS: 90, occupiedRatio: 0.5 },
        };
      default:
        return { seq, kind: 'camera_health', at: t, payload: { cameraId: `cam${seq % 3}`, state: 'running', reason: null, at: t } };
    }
  });
}

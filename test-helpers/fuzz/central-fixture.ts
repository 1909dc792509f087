import type { Hono } from 'hono';
import { createCentralApp, openStore, type Store } from '../../central-sync/server';
import { PATHS, WIRE_VERSION } from '../../central-sync/wire';

export const CENTRAL_FUZZ_ADMIN_TOKEN = 'fuzz-bootstrap-admin-token-0123456789';
export type ApiTokenRole = 'security' | 'ops' | 'admin';

export interface CentralFuzzFixture {
  app: Hono;
  store: Store;
  /** API tokens created through the admin API, one per role. */
  tokens: Record<ApiTokenRole, string>;
  /** The enrolled gateway that signs the fuzzed ingest and heartbeat requests. */
  gateway: { id: string; siteId: string; secret: string };
  /** A second gateway and API token for the revoke routes to hit instead of the ones in use. */
  decoyGatewayId: string;
  decoyTokenId: number;
  siteId: string;
  /** A fresh one-time enrolment token (through the admin API). */
  newEnrolmentToken(): Promise<string>;
  takeLoggedErrors(): string[];
  close(): Promise<void>;
}

async function call(app: Hono, method: string, path: string, token: string | undefined, body: unknown): Promise<Record<string, unknown>> {
  const res = await app.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`fixture ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** The central app in process over `databaseUrl` (sqlite: or postgres:), with tokens, an enrolled gateway and decoys. */
export async function startCentralFuzzFixture(databaseUrl: string): Promise<CentralFuzzFixture> {
  const store = await openStore(databaseUrl);
  const logged: string[] = [];
  const log = (obj: object) => {
    const err = (obj as { err?: Error }).err;
    if (err) logged.push(err.stack?.split('\n').slice(0, 2).join(' ') ?? String(err));
  };
  const app = createCentralApp({ store, adminToken: CENTRAL_FUZZ_ADMIN_TOKEN, log: { info: () => undefined, warn: () => undefined, error: log } });
  const siteId = 'site-fuzz';
  const tokens = {} as Record<ApiTokenRole, string>;
  for (const role of ['security', 'ops', 'admin'] as const) tokens[role] = String((await call(app, 'POST', '/v1/admin/tokens', CENTRAL_FUZZ_ADMIN_TOKEN, { name: `fuzz ${role}`, role })).token);
  const decoyTokenId = Number((await call(app, 'POST', '/v1/admin/tokens', CENTRAL_FUZZ_ADMIN_TOKEN, { name: 'fuzz decoy', role: 'ops' })).id);
  const newEnrolmentToken = async () => String((await call(app, 'POST', '/v1/admin/enrolments', CENTRAL_FUZZ_ADMIN_TOKEN, { siteId, siteName: 'Fuzz site' })).token);
  const enrol = async (name: string) => call(app, 'POST', PATHS.enrol, undefined, { version: WIRE_VERSION, token: await newEnrolmentToken(), gatewayName: name });
  const enrolled = await enrol('fuzz gateway');
  const decoy = await enrol('fuzz decoy gateway');
  return {
    app,
    store,
    tokens,
    gateway: { id: String(enrolled.gatewayId), siteId: String(enrolled.siteId), secret: String(enrolled.secret) },
    decoyGatewayId: String(decoy.gatewayId),
    decoyTokenId,
    siteId,
    newEnrolmentToken,
    takeLoggedErrors: () => logged.splice(0),
    close: () => store.close(),
  };
}

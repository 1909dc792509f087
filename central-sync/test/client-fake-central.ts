/**
 * A small real central server for the uplink tests: just enough of the wire protocol (signature,
 * clock-skew window, nonces, gunzip, schema, idempotency on (gateway, seq)) plus fault knobs. The
 * real server lives in central-sync/server; this one exists so the client can be tested alone.
 */
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { serve, type HttpBindings, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import {
  canonicalRequest,
  describeZodError,
  EnrolRequestSchema,
  HeartbeatSchema,
  IngestBatchSchema,
  latestAcceptedTime,
  LIMITS,
  PATHS,
  sign,
  SIGNATURE_HEADERS,
  signaturesMatch,
  timeBeyond,
  type Heartbeat,
  type SyncRecord,
} from '../wire';

export interface FakeGateway {
  gatewayId: string;
  secret: string;
  siteId: string;
}

type Ctx = Context<{ Bindings: HttpBindings }>;

export class FakeCentral {
  /** Stored records by `${gatewayId}:${seq}`, the idempotency key. */
  readonly stored = new Map<string, SyncRecord>();
  /** Records in the order they were first stored. */
  readonly arrivals: SyncRecord[] = [];
  /** Seqs of each ingest request that passed verification. */
  readonly batches: number[][] = [];
  readonly heartbeats: Heartbeat[] = [];
  readonly gateways = new Map<string, FakeGateway>();
  /** Enrolment token -> the gateway it creates (once). */
  readonly tokens = new Map<string, FakeGateway>();
  duplicates = 0;
  enrolments = 0;
  unauthorized = 0;
  gzipped = 0;

  // Fault knobs, set by tests between requests.
  /** The next N ingest requests store their records, then the connection is destroyed before any answer. */
  cutAfterStore = 0;
  /** Ingest requests are never answered. */
  hang = false;
  /** Ingest answers this status instead of storing. */
  ingestStatus: number | undefined;
  /** Ingest answers 500 to any batch holding a record this picks, as a PostgreSQL central did for a value it could not store. */
  serverError: ((r: SyncRecord) => boolean) | undefined;
  /** Ingest requests answered 500 by `serverError`, by the seqs of their batch. */
  readonly failedBatches: number[][] = [];
  /** A reason to refuse a record with 400 (naming its index), or undefined to accept it. */
  reject: ((r: SyncRecord) => string | undefined) | undefined;
  /** Every signed request gets 401 without serverTime. */
  revoked = false;
  /** This server's clock runs this far ahead of the machine's. */
  clockOffsetMs = 0;

  private readonly nonces = new Set<string>();
  private server: ServerType | undefined;
  private port = 0;
  private releaseHung: Array<() => void> = [];

  private constructor(private readonly tls: { key: string; cert: string } | undefined) {}

  static async start(options: { gateways?: FakeGateway[]; tokens?: Record<string, FakeGateway>; tls?: { key: string; cert: string } } = {}): Promise<FakeCentral> {
    const central = new FakeCentral(options.tls);
    for (const g of options.gateways ?? []) central.gateways.set(g.gatewayId, g);
    for (const [token, g] of Object.entries(options.tokens ?? {})) central.tokens.set(token, g);
    await central.listen();
    return central;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** Closes the listener and every open connection: clients see connection refused. */
  async stop(): Promise<void> {
    for (const release of this.releaseHung.splice(0)) release();
    const server = this.server as Server | undefined;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    await this.listen(this.port);
  }

  private listen(port = 0): Promise<void> {
    const app = this.app();
    return new Promise((resolve) => {
      this.server = serve(
        { fetch: app.fetch, port, hostname: '127.0.0.1', ...(this.tls ? { createServer: createHttpsServer, serverOptions: this.tls } : {}) },
        (info: AddressInfo) => {
          this.port = info.port;
          resolve();
        },
      );
    });
  }

  private app(): Hono<{ Bindings: HttpBindings }> {
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.post(PATHS.enrol, async (c) => {
      const parsed = EnrolRequestSchema.safeParse(await c.req.json());
      if (!parsed.success) return c.json({ error: describeZodError(parsed.error).message }, 400);
      const gateway = this.tokens.get(parsed.data.token);
      if (!gateway) return c.json({ error: 'unknown or used enrolment token', serverTime: this.now() }, 401);
      this.tokens.delete(parsed.data.token);
      this.gateways.set(gateway.gatewayId, gateway);
      this.enrolments++;
      return c.json({ ...gateway, serverTime: this.now() });
    });
    app.post(PATHS.ingest, async (c) => {
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const refused = this.verify(c, raw);
      if (refused) return refused;
      let text: string;
      if (c.req.header('content-encoding') === 'gzip') {
        this.gzipped++;
        text = gunzipSync(raw, { maxOutputLength: LIMITS.maxInflatedBytes }).toString('utf8');
      } else text = Buffer.from(raw).toString('utf8');
      const parsed = IngestBatchSchema.safeParse(JSON.parse(text));
      if (!parsed.success) {
        const d = describeZodError(parsed.error);
        return c.json({ error: d.message, field: d.field, ...(d.record !== undefined ? { record: d.record } : {}), serverTime: this.now() }, 400);
      }
      const batch = parsed.data;
      for (const [i, r] of batch.records.entries()) {
        const late = timeBeyond(r, latestAcceptedTime(this.now()));
        if (late) return c.json({ error: `records[${i}].${late.field}: later than the server clock allows`, field: `records[${i}].${late.field}`, record: i, serverTime: this.now() }, 400);
      }
      if (this.hang) await new Promise<void>((resolve) => this.releaseHung.push(resolve));
      if (this.ingestStatus) return c.json({ error: this.ingestStatus === 400 ? 'version: unsupported' : 'unavailable', serverTime: this.now() }, this.ingestStatus as 503);
      if (this.serverError && batch.records.some(this.serverError)) {
        this.failedBatches.push(batch.records.map((r) => r.seq));
        return c.json({ error: 'internal error', serverTime: this.now() }, 500);
      }
      for (const [i, r] of batch.records.entries()) {
        const reason = this.reject?.(r);
        if (reason) return c.json({ error: reason, field: `records[${i}].payload`, record: i, serverTime: this.now() }, 400);
      }
      this.batches.push(batch.records.map((r) => r.seq));
      let stored = 0;
      for (const r of batch.records) {
        const key = `${batch.gatewayId}:${r.seq}`;
        if (this.stored.has(key)) {
          this.duplicates++;
          continue;
        }
        this.stored.set(key, r);
        this.arrivals.push(r);
        stored++;
      }
      if (this.cutAfterStore > 0) {
        this.cutAfterStore--;
        c.env.incoming.socket.destroy();
      }
      const highestSeq = Math.max(0, ...[...this.stored.values()].map((r) => r.seq));
      return c.json({ stored, duplicates: batch.records.length - stored, highestSeq, serverTime: this.now() });
    });
    app.post(PATHS.heartbeat, async (c) => {
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const refused = this.verify(c, raw);
      if (refused) return refused;
      const parsed = HeartbeatSchema.safeParse(JSON.parse(Buffer.from(raw).toString('utf8')));
      if (!parsed.success) return c.json({ error: describeZodError(parsed.error).message }, 400);
      if (parsed.data.at > latestAcceptedTime(this.now())) return c.json({ error: 'at: later than the server clock allows', field: 'at', serverTime: this.now() }, 400);
      this.heartbeats.push(parsed.data);
      return c.json({ ok: true, serverTime: this.now() });
    });
    return app;
  }

  private verify(c: Ctx, body: Uint8Array): Response | undefined {
    const refuse = (error: string, withTime = true) => {
      this.unauthorized++;
      return c.json({ error, ...(withTime ? { serverTime: this.now() } : {}) }, 401);
    };
    const gateway = this.gateways.get(c.req.header(SIGNATURE_HEADERS.gateway) ?? '');
    if (!gateway) return refuse('unknown gateway');
    if (this.revoked) return refuse('credentials revoked', false);
    const timestamp = c.req.header(SIGNATURE_HEADERS.timestamp) ?? '';
    const nonce = c.req.header(SIGNATURE_HEADERS.nonce) ?? '';
    if (!(Math.abs(Number(timestamp) - this.now()) <= LIMITS.maxClockSkewMs)) return refuse('timestamp outside the allowed clock skew');
    if (this.nonces.has(nonce)) return refuse('nonce already used');
    const expected = sign(gateway.secret, canonicalRequest('POST', c.req.path, timestamp, nonce, body));
    if (!signaturesMatch(expected, c.req.header(SIGNATURE_HEADERS.signature) ?? '')) return refuse('bad signature');
    this.nonces.add(nonce);
    return undefined;
  }
}

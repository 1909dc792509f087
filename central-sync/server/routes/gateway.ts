import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import {
  describeZodError,
  EnrolRequestSchema,
  HeartbeatResponseSchema,
  HeartbeatSchema,
  IngestBatchSchema,
  LIMITS,
  PATHS,
  ACCEPTED_WIRE_VERSIONS,
  type EnrolResponse,
  type IngestResponse,
} from '../../wire';
import { decodeBody, parseJson, readJsonBody, readRawBody, requireJsonContentType } from '../http/body';
import type { RouteContext } from '../http/context';
import { HttpError } from '../http/errors';
import { prepareBatch } from '../ingest/prepare';
import { refuseFutureHeartbeat, refuseFutureTimes } from '../ingest/times';
import type { GatewayRow } from '../store';
import { digest, newGatewayId, newGatewaySecret } from '../secrets';

const ENROL_MAX_BYTES = 16 * 1024;

/** A body of another wire version is refused by name before its shape is judged. */
function checkVersion(body: unknown): void {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'version' in body && !(ACCEPTED_WIRE_VERSIONS as readonly unknown[]).includes(body.version)) {
    // Named by value only when it is a plain number or string: any JSON could be here (stringifying a deeply nested one overflows the stack).
    const given = typeof body.version === 'number' || typeof body.version === 'string' ? JSON.stringify(body.version).slice(0, 20) : `of type ${body.version === null ? 'null' : Array.isArray(body.version) ? 'array' : typeof body.version}`;
    throw new HttpError(400, `version ${given} is not supported; this server speaks wire versions ${ACCEPTED_WIRE_VERSIONS.slice(0, -1).join(', ')} and ${ACCEPTED_WIRE_VERSIONS.at(-1)}`, 'version');
  }
}

function parseWire<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  checkVersion(body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const d = describeZodError(parsed.error);
    throw new HttpError(400, d.message, d.field, d.record);
  }
  return parsed.data;
}

/**
 * The prologue of a signed endpoint: JSON content type, raw body within the limit, the signing
 * gateway (checked over the raw bytes), the decoded body against `schema`, and the body's
 * gatewayId matching the signer. `now` is the clock reading the signature was checked against.
 */
async function readSignedBody<S extends z.ZodType<{ gatewayId: string }>>(
  c: Context,
  ctx: RouteContext,
  path: string,
  schema: S,
  noun: string,
): Promise<{ gateway: GatewayRow; body: z.infer<S>; now: number }> {
  requireJsonContentType(c.req.header('content-type'));
  const raw = await readRawBody(c.req.raw, LIMITS.maxBodyBytes);
  const now = ctx.now();
  const gateway = await ctx.gateway(c, path, raw, now);
  const body = parseWire(schema, parseJson(await decodeBody(raw, c.req.header('content-encoding'), LIMITS.maxInflatedBytes)));
  if (body.gatewayId !== gateway.id) throw new HttpError(403, `${noun} names gateway '${body.gatewayId.slice(0, 128)}' but is signed by '${gateway.id}'`, 'gatewayId');
  return { gateway, body, now };
}

/** The three endpoints a site gateway calls: enrol (unsigned, one-time token), ingest and heartbeat (signed). */
export function gatewayRoutes(app: Hono, ctx: RouteContext): void {
  app.post(PATHS.enrol, async (c) => {
    const body = parseWire(EnrolRequestSchema, await readJsonBody(c.req.raw, ENROL_MAX_BYTES));
    const now = ctx.now();
    const gatewayId = newGatewayId();
    const secret = newGatewaySecret();
    const result = await ctx.store.redeemEnrolment({ digest: digest(body.token), now, gatewayId, gatewayName: body.gatewayName ?? gatewayId, secret });
    if (!result.ok) {
      if (result.reason === 'used') throw new HttpError(409, 'enrolment token already used', 'token');
      throw new HttpError(401, 'enrolment token unknown or expired', 'token');
    }
    ctx.log.info({ gatewayId, siteId: result.siteId }, 'gateway enrolled');
    const reply: EnrolResponse = { gatewayId, siteId: result.siteId, secret, serverTime: ctx.now() };
    return c.json(reply, 200, { 'cache-control': 'no-store' });
  });

  app.post(PATHS.ingest, async (c) => {
    const { gateway, body: batch, now } = await readSignedBody(c, ctx, PATHS.ingest, IngestBatchSchema, 'batch');
    refuseFutureTimes(batch.records, now);
    const prepared = prepareBatch(batch.records, ctx.acceptFaceCrops);
    const outcome = await ctx.store.ingest({ gatewayId: gateway.id, siteId: gateway.siteId, receivedAt: now, records: prepared.records });
    const reply: IngestResponse = { stored: outcome.stored, duplicates: outcome.duplicates + prepared.repeats, highestSeq: outcome.highestSeq, serverTime: ctx.now() };
    return c.json(reply);
  });

  app.post(PATHS.heartbeat, async (c) => {
    const { gateway, body: hb, now } = await readSignedBody(c, ctx, PATHS.heartbeat, HeartbeatSchema, 'heartbeat');
    refuseFutureHeartbeat(hb.at, now);
    const { highestSeq } = await ctx.store.saveHeartbeat(gateway.id, hb, now);
    const reply: z.infer<typeof HeartbeatResponseSchema> = { ok: true, highestSeq, serverTime: ctx.now() };
    return c.json(reply);
  });
}

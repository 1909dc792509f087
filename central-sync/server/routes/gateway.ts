import type { Hono } from 'hono';
import type { z } from 'zod';
import {
  describeZodError,
  EnrolRequestSchema,
  HeartbeatResponseSchema,
  HeartbeatSchema,
  IngestBatchSchema,
  LIMITS,
  PATHS,
  WIRE_VERSION,
  type EnrolResponse,
  type IngestResponse,
} from '../../wire';
import { decodeBody, parseJson, readRawBody, requireJsonContentType } from '../http/body';
import type { RouteContext } from '../http/context';
import { HttpError } from '../http/errors';
import { prepareBatch } from '../ingest/prepare';
import { digest, newGatewayId, newGatewaySecret } from '../secrets';

const ENROL_MAX_BYTES = 16 * 1024;

/** A body of another wire version is refused by name before its shape is judged. */
function checkVersion(body: unknown): void {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'version' in body && body.version !== WIRE_VERSION) {
    throw new HttpError(400, `version ${JSON.stringify(body.version)?.slice(0, 20)} is not supported; this server speaks wire version ${WIRE_VERSION}`, 'version');
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

/** The three endpoints a site gateway calls: enrol (unsigned, one-time token), ingest and heartbeat (signed). */
export function gatewayRoutes(app: Hono, ctx: RouteContext): void {
  app.post(PATHS.enrol, async (c) => {
    requireJsonContentType(c.req.header('content-type'));
    const body = parseWire(EnrolRequestSchema, parseJson(await readRawBody(c.req.raw, ENROL_MAX_BYTES)));
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
    requireJsonContentType(c.req.header('content-type'));
    const raw = await readRawBody(c.req.raw, LIMITS.maxBodyBytes);
    const now = ctx.now();
    const gateway = await ctx.gateway(c, PATHS.ingest, raw, now);
    const batch = parseWire(IngestBatchSchema, parseJson(await decodeBody(raw, c.req.header('content-encoding'), LIMITS.maxInflatedBytes)));
    if (batch.gatewayId !== gateway.id) throw new HttpError(403, `batch names gateway '${batch.gatewayId.slice(0, 128)}' but is signed by '${gateway.id}'`, 'gatewayId');
    const prepared = prepareBatch(batch.records, ctx.acceptFaceCrops);
    const outcome = await ctx.store.ingest({ gatewayId: gateway.id, siteId: gateway.siteId, receivedAt: now, records: prepared.records });
    const reply: IngestResponse = { stored: outcome.stored, duplicates: outcome.duplicates + prepared.repeats, highestSeq: outcome.highestSeq, serverTime: ctx.now() };
    return c.json(reply);
  });

  app.post(PATHS.heartbeat, async (c) => {
    requireJsonContentType(c.req.header('content-type'));
    const raw = await readRawBody(c.req.raw, LIMITS.maxBodyBytes);
    const now = ctx.now();
    const gateway = await ctx.gateway(c, PATHS.heartbeat, raw, now);
    const hb = parseWire(HeartbeatSchema, parseJson(await decodeBody(raw, c.req.header('content-encoding'), LIMITS.maxInflatedBytes)));
    if (hb.gatewayId !== gateway.id) throw new HttpError(403, `heartbeat names gateway '${hb.gatewayId.slice(0, 128)}' but is signed by '${gateway.id}'`, 'gatewayId');
    const { highestSeq } = await ctx.store.saveHeartbeat(gateway.id, hb, now);
    const reply: z.infer<typeof HeartbeatResponseSchema> = { ok: true, highestSeq, serverTime: ctx.now() };
    return c.json(reply);
  });
}

import type { Hono } from 'hono';
import { z } from 'zod';
import { readJsonBody } from '../http/body';
import { actor, type RouteContext } from '../http/context';
import { HttpError } from '../http/errors';
import { validate } from '../http/validate';
import { digest, newToken } from '../secrets';
import { ROLES } from '../store';
import { safeText } from '../../wire';

const ADMIN_BODY_MAX_BYTES = 16 * 1024;
const id = safeText(z.string().min(1).max(128));

const NewEnrolment = z
  .object({
    siteId: id.regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, dot, dash, colon or underscore'),
    siteName: safeText(z.string().trim().min(1).max(200)),
    ttlHours: z.number().positive().max(24 * 30).optional(),
  })
  .strict();
const NewApiToken = z.object({ name: safeText(z.string().trim().min(1).max(128)), role: z.enum(ROLES) }).strict();
const GatewayParam = z.object({ id }).strict();
const NoQuery = z.object({}).strict();

/** Admin only: one-time enrolment tokens, API token creation, gateways. Secrets are shown once. */
export function adminRoutes(app: Hono, ctx: RouteContext): void {
  app.post('/v1/admin/enrolments', async (c) => {
    const admin = await ctx.user(c, [], 'create enrolment tokens');
    const body = validate(NewEnrolment, await readJsonBody(c.req.raw, ADMIN_BODY_MAX_BYTES), 'body');
    const token = newToken();
    const now = ctx.now();
    const expiresAt = now + Math.round((body.ttlHours ?? ctx.enrolmentTtlHours) * 3_600_000);
    await ctx.store.createEnrolment({ digest: digest(token), siteId: body.siteId, siteName: body.siteName, createdAt: now, expiresAt });
    ctx.log.info({ ...actor(admin), siteId: body.siteId, expiresAt }, 'enrolment token created');
    return c.json({ token, siteId: body.siteId, expiresAt }, 201, { 'cache-control': 'no-store' });
  });

  app.post('/v1/admin/tokens', async (c) => {
    const admin = await ctx.user(c, [], 'create API tokens');
    const body = validate(NewApiToken, await readJsonBody(c.req.raw, ADMIN_BODY_MAX_BYTES), 'body');
    const token = newToken();
    const id = await ctx.store.createApiToken({ digest: digest(token), name: body.name, role: body.role, createdAt: ctx.now() });
    ctx.log.info({ ...actor(admin), tokenId: id, name: body.name, role: body.role }, 'API token created');
    return c.json({ id, name: body.name, role: body.role, token }, 201, { 'cache-control': 'no-store' });
  });

  app.get('/v1/admin/gateways', async (c) => {
    const admin = await ctx.user(c, [], 'list gateways');
    validate(NoQuery, c.req.query(), 'query');
    const gateways = await ctx.store.listGateways();
    ctx.log.info({ ...actor(admin), count: gateways.length }, 'gateways listed');
    return c.json({ gateways }, 200, { 'cache-control': 'no-store' });
  });

  app.post('/v1/admin/gateways/:id/revoke', async (c) => {
    const admin = await ctx.user(c, [], 'revoke gateways');
    const { id: gatewayId } = validate(GatewayParam, c.req.param(), 'path');
    const now = ctx.now();
    if (!(await ctx.store.revokeGateway(gatewayId, now))) throw new HttpError(404, `no gateway '${gatewayId}'`, 'id');
    ctx.log.warn({ ...actor(admin), gatewayId }, 'gateway revoked');
    const gateway = await ctx.store.getGateway(gatewayId);
    return c.json({ gatewayId, revokedAt: gateway?.revokedAt ?? now });
  });
}

import type { Hono } from 'hono';
import { z } from 'zod';
import { BOOTSTRAP_USER } from '../http/bearer';
import { readJsonBody } from '../http/body';
import { actor, type RouteContext } from '../http/context';
import { HttpError } from '../http/errors';
import { validate } from '../http/validate';
import { digest, newToken } from '../secrets';
import { ROLES } from '../store';
import { listEnrolments } from '../store/enrolments-sql';
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
const NewApiToken = z
  .object({
    // 'bootstrap-admin' names the bootstrap token in logs; no API token may take it.
    name: safeText(z.string().trim().min(1).max(128)).refine((n) => n.toLowerCase() !== BOOTSTRAP_USER.name, `'${BOOTSTRAP_USER.name}' is reserved`),
    role: z.enum(ROLES),
  })
  .strict();
const GatewayParam = z.object({ id }).strict();
const NoQuery = z.object({}).strict();
const EnrolmentListQuery = z
  .object({ limit: z.string().regex(/^\d{1,3}$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1).max(500)).optional() })
  .strict();

/** Admin only: one-time enrolment tokens, API token creation, gateways. Secrets are shown once; every change is audited. */
export function adminRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/admin/enrolments', async (c) => {
    await ctx.user(c, [], 'list enrolment tokens');
    const q = validate(EnrolmentListQuery, c.req.query(), 'query');
    return c.json({ enrolments: await listEnrolments(ctx.store.sql, ctx.now(), q.limit ?? 100) }, 200, { 'cache-control': 'no-store' });
  });

  app.post('/v1/admin/enrolments', async (c) => {
    const admin = await ctx.user(c, [], 'create enrolment tokens');
    const body = validate(NewEnrolment, await readJsonBody(c.req.raw, ADMIN_BODY_MAX_BYTES), 'body');
    const token = newToken();
    const now = ctx.now();
    const expiresAt = now + Math.round((body.ttlHours ?? ctx.enrolmentTtlHours) * 3_600_000);
    await ctx.store.createEnrolment({ digest: digest(token), siteId: body.siteId, siteName: body.siteName, createdAt: now, expiresAt });
    await ctx.audit(admin, 'enrolment.create', body.siteId, { siteName: body.siteName, expiresAt });
    ctx.log.info({ ...actor(admin), siteId: body.siteId, expiresAt }, 'enrolment token created');
    return c.json({ token, siteId: body.siteId, expiresAt }, 201, { 'cache-control': 'no-store' });
  });

  app.post('/v1/admin/tokens', async (c) => {
    const admin = await ctx.user(c, [], 'create API tokens');
    const body = validate(NewApiToken, await readJsonBody(c.req.raw, ADMIN_BODY_MAX_BYTES), 'body');
    const token = newToken();
    const id = await ctx.store.createApiToken({ digest: digest(token), name: body.name, role: body.role, createdAt: ctx.now() });
    await ctx.audit(admin, 'token.create', body.name, { tokenId: id, role: body.role });
    ctx.log.info({ ...actor(admin), tokenId: id, tokenName: body.name, role: body.role }, 'API token created');
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
    await ctx.audit(admin, 'gateway.revoke', gatewayId);
    ctx.log.warn({ ...actor(admin), gatewayId }, 'gateway revoked');
    const gateway = await ctx.store.getGateway(gatewayId);
    return c.json({ gatewayId, revokedAt: gateway?.revokedAt ?? now });
  });
}

import type { Hono } from 'hono';
import { z } from 'zod';
import { actor, type RouteContext } from '../http/context';
import { HttpError } from '../http/errors';
import { validate } from '../http/validate';

const NoQuery = z.object({}).strict();
const TokenParam = z
  .object({ id: z.string().regex(/^\d{1,15}$/, 'expected a token id (a whole number)').transform(Number).pipe(z.number().int().min(1)) })
  .strict();

/**
 * Admin only: the API tokens there are and revocation. Lists carry id, name, role and times, never
 * a token or its digest. A revoked token is refused from its next request on (every request looks
 * its token up), on every instance.
 */
export function adminTokenRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/admin/tokens', async (c) => {
    const admin = await ctx.user(c, [], 'list API tokens');
    validate(NoQuery, c.req.query(), 'query');
    const tokens = await ctx.store.listApiTokens();
    ctx.log.info({ ...actor(admin), count: tokens.length }, 'API tokens listed');
    return c.json({ tokens }, 200, { 'cache-control': 'no-store' });
  });

  app.post('/v1/admin/tokens/:id/revoke', async (c) => {
    const admin = await ctx.user(c, [], 'revoke API tokens');
    const { id } = validate(TokenParam, c.req.param(), 'path');
    const token = await ctx.store.revokeApiToken(id, ctx.now());
    if (!token) throw new HttpError(404, `no API token ${id}`, 'id');
    await ctx.audit(admin, 'token.revoke', token.name, { tokenId: token.id, role: token.role });
    ctx.log.warn({ ...actor(admin), tokenId: token.id, tokenName: token.name, role: token.role, revokedAt: token.revokedAt }, 'API token revoked');
    return c.json(token, 200, { 'cache-control': 'no-store' });
  });
}

import type { Hono } from 'hono';
import { z } from 'zod';
import type { RouteContext } from '../http/context';
import { packCursor, unpackCursor } from '../http/cursor';
import { validate } from '../http/validate';
import { listAudit, type AuditCursor } from '../store/audit-sql';

const CursorShape = z.tuple([z.number().int().min(0), z.number().int().min(1)]);
const AuditQuery = z
  .object({
    limit: z.string().regex(/^\d{1,4}$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1).max(500)).optional(),
    cursor: z.string().max(200).optional(),
    actor: z.string().min(1).max(128).optional(),
  })
  .strict();

const encode = (c: AuditCursor): string => packCursor([c.at, c.id]);
function decode(text: string): AuditCursor {
  const [at, id] = unpackCursor(text, CursorShape);
  return { at, id };
}

/** Admin only: GET /v1/admin/audit, newest first, paged by an opaque (at, id) cursor (index audit_log_at). */
export function adminAuditRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/admin/audit', async (c) => {
    await ctx.user(c, [], 'read the audit trail');
    const q = validate(AuditQuery, c.req.query(), 'query');
    const limit = q.limit ?? 50;
    const rows = await listAudit(ctx.store.sql, { limit: limit + 1, ...(q.cursor ? { after: decode(q.cursor) } : {}), ...(q.actor ? { actor: q.actor } : {}) });
    const entries = rows.slice(0, limit);
    const last = entries[entries.length - 1];
    return c.json({ entries, nextCursor: rows.length > limit && last ? encode({ at: last.at, id: last.id }) : null }, 200, { 'cache-control': 'no-store' });
  });
}

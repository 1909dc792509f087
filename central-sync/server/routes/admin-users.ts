import type { Hono } from 'hono';
import { z } from 'zod';
import { hashPassword } from '../console/passwords';
import { BOOTSTRAP_USER } from '../http/bearer';
import { readJsonBody } from '../http/body';
import { actor, type RouteContext } from '../http/context';
import { HttpError } from '../http/errors';
import { validate } from '../http/validate';
import { ROLES } from '../store';
import { changeConsoleUser, createConsoleUser, listConsoleUsers, type UserChange } from '../store/console-sql';

const BODY_MAX_BYTES = 4 * 1024;
const userName = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'use 1 to 64 letters, digits, dot, dash, at or underscore');
/** The bootstrap token's actor name in the audit trail: no user may take it. */
const RESERVED = BOOTSTRAP_USER.name;
const password = z.string().min(10, 'use at least 10 characters').max(256);
const NewUser = z.object({ name: userName, role: z.enum(ROLES), password }).strict();
const NameParam = z.object({ name: userName }).strict();
const RoleBody = z.object({ role: z.enum(ROLES) }).strict();
const PasswordBody = z.object({ password }).strict();
const NoQuery = z.object({}).strict();
const NO_STORE = { 'cache-control': 'no-store' };

/**
 * Admin only: console users. Lists never carry a password hash; passwords are hashed off the event
 * loop; every change is audited and logged without the password. A changed role applies to the
 * user's next request; a new password or disabling ends their sessions.
 */
export function adminUserRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/admin/users', async (c) => {
    await ctx.user(c, [], 'list console users');
    validate(NoQuery, c.req.query(), 'query');
    return c.json({ users: await listConsoleUsers(ctx.store.sql) }, 200, NO_STORE);
  });

  app.post('/v1/admin/users', async (c) => {
    const admin = await ctx.user(c, [], 'create console users');
    const body = validate(NewUser, await readJsonBody(c.req.raw, BODY_MAX_BYTES), 'body');
    if (body.name.toLowerCase() === RESERVED) throw new HttpError(400, `body name: '${RESERVED}' is reserved`, 'name');
    const user = await createConsoleUser(ctx.store.sql, { name: body.name, role: body.role, passwordHash: await hashPassword(body.password), at: ctx.now() });
    if (!user) throw new HttpError(409, `a user named '${body.name}' exists`, 'name');
    await ctx.audit(admin, 'user.create', user.name, { role: user.role });
    ctx.log.info({ ...actor(admin), user: user.name, role: user.role }, 'console user created');
    return c.json(user, 201, NO_STORE);
  });

  /** POST /v1/admin/users/:name/<path>; `parse` reads the body where the change has one. */
  const change = (path: string, what: string, action: string, parse: (req: Request) => Promise<UserChange>, detailOf: (ch: UserChange) => Record<string, unknown>) =>
    app.post(`/v1/admin/users/:name/${path}`, async (c) => {
      const admin = await ctx.user(c, [], what);
      const { name } = validate(NameParam, c.req.param(), 'path');
      const ch = await parse(c.req.raw);
      // An admin signed in with their own password may not lock themselves out (another admin can).
      const self = admin.kind === 'user' && admin.name === name;
      if (self && (('role' in ch && ch.role !== 'admin') || ('disabled' in ch && ch.disabled))) {
        throw new HttpError(409, 'you may not disable yourself or give up your own admin role', 'name');
      }
      const user = await changeConsoleUser(ctx.store.sql, name, ch, ctx.now());
      if (!user) throw new HttpError(404, `no user '${name}'`, 'name');
      await ctx.audit(admin, action, user.name, detailOf(ch));
      ctx.log.warn({ ...actor(admin), user: user.name, action }, 'console user changed');
      return c.json(user, 200, NO_STORE);
    });

  const body = (req: Request) => readJsonBody(req, BODY_MAX_BYTES);
  change('role', 'change roles', 'user.role', async (req) => validate(RoleBody, await body(req), 'body'), (ch) => ('role' in ch ? { role: ch.role } : {}));
  change('password', 'reset passwords', 'user.password', async (req) => ({ passwordHash: await hashPassword(validate(PasswordBody, await body(req), 'body').password) }), () => ({}));
  change('disable', 'disable users', 'user.disable', async () => ({ disabled: true }), () => ({}));
  change('enable', 'enable users', 'user.enable', async () => ({ disabled: false }), () => ({}));
}

import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { ApiError, jsonBody, jsonError, validate } from '../errors';
import type { ApiFeature } from '../feature';

const NewUser = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'use 1-64 letters, digits, dot, dash, @ or underscore'),
    role: z.enum(['supervisor', 'security', 'ops', 'admin']),
    /** Optional dashboard password (the token always works too). */
    password: z.string().min(10, 'use at least 10 characters').max(256).optional(),
  })
  .strict();
const UserParam = z.object({ name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/) }).strict();

/** Admin: users created at run time and the access audit. */
export const usersFeature: ApiFeature<ApiDeps> = {
  routes: [
    { method: 'GET', path: '/api/users', summary: 'Users created at run time (configured users are in the config file)', roles: [] },
    { method: 'POST', path: '/api/users', summary: 'Create a user; the answer carries their token, shown only once', roles: [] },
    { method: 'DELETE', path: '/api/users/:name', summary: 'Remove a user created at run time', roles: [] },
    { method: 'GET', path: '/api/audit', summary: 'Access audit of face data', roles: [] },
  ],
  handlers: (deps, { auth, accessChanges, now }) => ({
    'GET /api/users': (c) => c.json({ users: deps.users.list() }),
    'POST /api/users': async (c) => {
      const body = validate(NewUser, await jsonBody(c), 'body');
      if (deps.tokens.configured(body.name) || deps.users.exists(body.name)) throw new ApiError(409, `user '${body.name}' already exists`, 'name');
      const token = await deps.users.create(body.name, body.role, now(), body.password);
      deps.audit.record({ at: now(), user: c.get('user').name, action: 'create_user', subject: `user:${body.name}`, detail: body.role });
      return c.json({ name: body.name, role: body.role, token }, 201);
    },
    'DELETE /api/users/:name': (c) => {
      const { name } = validate(UserParam, c.req.param(), 'path');
      if (!deps.users.remove(name)) return jsonError(c, 404, `no user '${name}' created at run time`, 'name');
      auth.sessions.closeAllOf(name);
      accessChanges.changed();
      deps.audit.record({ at: now(), user: c.get('user').name, action: 'remove_user', subject: `user:${name}` });
      return c.json({ removed: name });
    },
    'GET /api/audit': (c) => c.json({ entries: deps.audit.list(null, 500) }),
  }),
};

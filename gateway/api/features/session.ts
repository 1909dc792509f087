import type { Context } from 'hono';
import type { ApiDeps } from '../deps';
import { jsonError } from '../errors';
import type { ApiFeature } from '../feature';
import { login, logout, sameOrigin } from '../session-auth';

/** The peer address (node-server puts the socket on env); a constant under app.request in tests. */
function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}

/** Dashboard login and logout (a session cookie; bearer tokens need neither). */
export const sessionFeature: ApiFeature<ApiDeps> = {
  routes: [
    { method: 'POST', path: '/api/login', summary: 'Dashboard login with a token or name and password; sets an HttpOnly session cookie', roles: [], public: true },
    { method: 'POST', path: '/api/logout', summary: 'Ends the dashboard session', roles: [], public: true },
  ],
  handlers: (_deps, { auth, throttle, accessChanges }) => ({
    'POST /api/login': async (c) => {
      if (!sameOrigin(c)) return jsonError(c, 403, 'cross-site request refused', 'origin');
      return c.json(await login(auth, throttle, c, clientAddress(c)));
    },
    'POST /api/logout': (c) => {
      logout(auth, c);
      accessChanges.changed();
      return c.json({ loggedOut: true });
    },
  }),
};

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { LiveViewer } from '../../streams/live';
import type { Role } from '../config';
import type { AuditLog, SessionStore, UserStore } from '../store';
import type { ApiUser, TokenRegistry } from './auth';
import { cookieValue, fromOwnOrigin, identify, SESSION_COOKIE, type Authenticator } from './session-auth';

/** Live video shows faces: security and admin only. */
const MAY_WATCH: ReadonlySet<Role> = new Set(['security', 'admin']);

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Who may open the live view websocket: a dashboard session of security or admin, opened from the
 * gateway's own pages (a page of another site, even one on the same host that the SameSite cookie
 * reaches, is refused like a cross-site POST). Each viewing is audited; the hub asks `stillAllowed`
 * again periodically and when access changes, so logout, removal or demotion ends the video.
 */
export function liveViewAccess(auth: Authenticator, audit: AuditLog): (req: IncomingMessage, cameraId: string) => LiveViewer | undefined {
  return (req, cameraId) => {
    const ownOrigin = `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${header(req, 'host') ?? ''}`;
    if (!fromOwnOrigin(ownOrigin, header(req, 'origin'), header(req, 'sec-fetch-site'))) return undefined;
    const sessionId = cookieValue(header(req, 'cookie'), SESSION_COOKIE);
    const watcher = (): ApiUser | undefined => {
      const who = identify(auth, undefined, sessionId);
      return who.via === 'session' && MAY_WATCH.has(who.user.role) ? who.user : undefined;
    };
    const user = watcher();
    if (!user) return undefined;
    return {
      user: user.name,
      stillAllowed: () => watcher()?.name === user.name,
      admitted: () => audit.record({ at: auth.now(), user: user.name, action: 'view_live', subject: `camera:${cameraId}` }),
    };
  };
}

/** The live view's access check over the gateway's stores and configured tokens. */
export function liveViewAccessOf(stores: { users: UserStore; sessions: SessionStore; audit: AuditLog }, tokens: TokenRegistry, now: () => number = Date.now) {
  return liveViewAccess({ tokens, users: stores.users, sessions: stores.sessions, now }, stores.audit);
}

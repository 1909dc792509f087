import { digest, digestsEqual } from '../secrets';
import type { Role, Store } from '../store';
import { HttpError } from './errors';

/** The bootstrap admin token's holder, as logs and the console name it; no API token or user may take the name. */
export const BOOTSTRAP_USER = { kind: 'bootstrap', name: 'bootstrap-admin', role: 'admin' } as const satisfies ApiUser;

export interface ApiUser {
  /** What the caller holds: the bootstrap admin token, an API token, or a console user's password session. */
  kind: 'bootstrap' | 'token' | 'user';
  name: string;
  role: Role;
  /** The api_tokens id; absent for the bootstrap admin token and for console users. */
  tokenId?: number;
}

/**
 * Resolves `Authorization: Bearer <token>`: the bootstrap admin token (compared as digests, in
 * constant time) or a token created through the API (looked up by digest on every request, so a
 * new or revoked token applies on every instance at once).
 */
export async function authenticate(store: Store, authorization: string | undefined, adminTokenDigest: string | undefined): Promise<ApiUser> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new HttpError(401, 'missing bearer token', 'authorization');
  const d = digest(token);
  if (adminTokenDigest && digestsEqual(d, adminTokenDigest)) return { ...BOOTSTRAP_USER };
  const row = await store.findApiToken(d);
  if (!row) throw new HttpError(401, 'unknown or revoked token', 'authorization');
  return { kind: 'token', name: row.name, role: row.role, tokenId: row.id };
}

/** admin may do everything; the others only what a route lists. */
export function requireRole(user: ApiUser, allowed: readonly Role[], what: string): void {
  if (user.role !== 'admin' && !allowed.includes(user.role)) throw new HttpError(403, `role ${user.role} may not ${what}`);
}

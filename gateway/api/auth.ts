import { createHash, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from '../config';

export interface ApiUser {
  name: string;
  role: Role;
}

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

export const asRole = (role: string): Role | undefined => ((ROLES as readonly string[]).includes(role) ? (role as Role) : undefined);

/**
 * Bearer tokens, kept only as SHA-256 digests: the configuration's users compared in constant time,
 * then users an admin created at run time (looked up by digest).
 */
export class TokenRegistry {
  private readonly entries: Array<{ digest: Buffer; user: ApiUser }>;

  constructor(
    users: ReadonlyArray<{ name: string; role: Role; token: string }>,
    private readonly lookup: (digestHex: string) => { name: string; role: string } | undefined = () => undefined,
  ) {
    this.entries = users.map((u) => ({ digest: digest(u.token), user: { name: u.name, role: u.role } }));
  }

  resolve(token: string): ApiUser | undefined {
    return this.holder(digest(token));
  }

  /**
   * Who holds the token with this SHA-256 digest (hex) now: a dashboard session opened with a token
   * asks on every request, so it follows the holder's current role and ends when the token changes.
   */
  holderOf(digestHex: string): ApiUser | undefined {
    return /^[0-9a-f]{64}$/.test(digestHex) ? this.holder(Buffer.from(digestHex, 'hex')) : undefined;
  }

  /** Whether a configured user already has this name. */
  configured(name: string): boolean {
    return this.entries.some((e) => e.user.name === name);
  }

  private holder(d: Buffer): ApiUser | undefined {
    let found: ApiUser | undefined;
    for (const e of this.entries) if (timingSafeEqual(e.digest, d)) found = e.user;
    if (found) return found;
    const stored = this.lookup(d.toString('hex'));
    const role = stored ? asRole(stored.role) : undefined;
    return stored && role ? { name: stored.name, role } : undefined;
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '../config';

export interface ApiUser {
  name: string;
  role: Role;
}

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

/** Bearer tokens, kept only as SHA-256 digests and compared in constant time. */
export class TokenRegistry {
  private readonly entries: Array<{ digest: Buffer; user: ApiUser }>;

  constructor(users: ReadonlyArray<{ name: string; role: Role; token: string }>) {
    this.entries = users.map((u) => ({ digest: digest(u.token), user: { name: u.name, role: u.role } }));
  }

  resolve(token: string): ApiUser | undefined {
    const d = digest(token);
    let found: ApiUser | undefined;
    for (const e of this.entries) if (timingSafeEqual(e.digest, d)) found = e.user;
    return found;
  }
}

import type { Role } from '../config';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  method: Method;
  /** Hono path, e.g. /api/events/:id */
  path: string;
  summary: string;
  /** Roles allowed besides admin, who may call everything. */
  roles: readonly Role[];
  /** No token needed. */
  public?: boolean;
  /** Reads of face data are written to the audit log. */
  audited?: boolean;
  /** The 200 answer is this image type instead of JSON. */
  image?: 'image/jpeg';
}

export function allowed(route: RouteSpec, role: Role): boolean {
  return role === 'admin' || route.roles.includes(role);
}

import type { Context } from 'hono';
import type { GatewayRow, Role, Store } from '../store';
import type { ApiUser } from './bearer';

/** What pino (or any logger with these three methods) must offer. */
export interface CentralLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Who did it, for audit lines: the token's name and id, never the token. */
export const actor = (user: ApiUser): { by: string; byTokenId: number | null } => ({ by: user.name, byTokenId: user.tokenId ?? null });

/**
 * Who did it, for audit_log.actor: the kind and id as well as the name, since token names are free
 * text (a token named like a user must not read as that user): `user:<name>`, `token:<id>:<name>`
 * or `bootstrap`.
 */
export function auditActor(user: ApiUser): string {
  if (user.kind === 'token') return `token:${user.tokenId ?? '?'}:${user.name}`;
  return user.kind === 'user' ? `user:${user.name}` : 'bootstrap';
}

export const SILENT_LOGGER: CentralLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Shared by the route modules; holds nothing but handles and settings. */
export interface RouteContext {
  store: Store;
  now: () => number;
  acceptFaceCrops: boolean;
  enrolmentTtlHours: number;
  log: CentralLogger;
  /**
   * The caller: a bearer token, else a console session cookie (a state-changing request by cookie
   * must come from this origin), or 401/403.
   */
  user(c: Context, roles: readonly Role[], what: string): Promise<ApiUser>;
  /** Appends an audit_log row for an action of `user` (name only, never a secret). */
  audit(user: ApiUser, action: string, target?: string, detail?: Record<string, unknown>): Promise<void>;
  /** The signing gateway of this request, or 401. */
  gateway(c: Context, path: string, rawBody: Uint8Array, now: number): Promise<GatewayRow>;
}

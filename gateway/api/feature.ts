import type { Context } from 'hono';
import type { ApiUser } from './auth';
import type { RouteSpec } from './routes';

export type ApiEnv = { Variables: { user: ApiUser } };
export type Handler = (c: Context<ApiEnv>) => Response | Promise<Response>;

/**
 * A group of API routes kept in its own file: the specs join ROUTES (permissions, OpenAPI, the
 * role-matrix test) and the handlers are keyed `${method} ${path}` like the core ones.
 */
export interface ApiFeature<Deps> {
  routes: readonly RouteSpec[];
  handlers(deps: Deps): Record<string, Handler>;
}

import type { ApiRuntime } from './deps';
import type { RouteSpec } from './route-spec';

import type { Handler } from './env';

export type { ApiEnv, Handler } from './env';

/**
 * A group of API routes kept in its own file: the specs join ROUTES (permissions, OpenAPI, the
 * role-matrix test) and the handlers are keyed `${method} ${path}` like the core ones.
 */
export interface ApiFeature<Deps> {
  routes: readonly RouteSpec[];
  handlers(deps: Deps, runtime: ApiRuntime): Record<string, Handler>;
}

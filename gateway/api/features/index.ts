import type { RouteSpec } from '../routes';
import type { ApiDeps } from '../app';
import type { ApiFeature } from '../feature';
import { queuesFeature } from './queues';
import { securityFeature } from './security';
import { opsFeature } from './ops';
import { adminFeature } from './admin';

/** Route groups beyond the core API, each in its own file (dashboard-facing reads and admin). */
export const FEATURES: ReadonlyArray<ApiFeature<ApiDeps>> = [queuesFeature, securityFeature, opsFeature, adminFeature];

export const FEATURE_ROUTES: readonly RouteSpec[] = FEATURES.flatMap((f) => f.routes);

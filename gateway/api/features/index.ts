import type { RouteSpec } from '../route-spec';
import type { ApiDeps } from '../deps';
import type { ApiFeature } from '../feature';
import { statusFeature } from './status';
import { eventsFeature } from './events';
import { queuesFeature } from './queues';
import { footfallFeature } from './footfall';
import { watchlistFeature } from './watchlist';
import { usersFeature } from './users';
import { sessionFeature } from './session';
import { securityFeature } from './security';
import { opsFeature } from './ops';
import { adminFeature } from './admin';
import { camerasFeature } from './cameras';
import { clipsFeature } from './clips';

/** Every route group of the API, each in its own file with its route specs and handlers. */
export const FEATURES: ReadonlyArray<ApiFeature<ApiDeps>> = [statusFeature, eventsFeature, queuesFeature, footfallFeature, watchlistFeature, usersFeature, sessionFeature, securityFeature, opsFeature, adminFeature, camerasFeature, clipsFeature];

export const FEATURE_ROUTES: readonly RouteSpec[] = FEATURES.flatMap((f) => f.routes);

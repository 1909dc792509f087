import { FEATURE_ROUTES } from './features';

export { allowed, type Method, type RouteSpec } from './route-spec';

/** One table drives routing permissions, the OpenAPI document and the role-matrix test: every feature's routes. */
export const ROUTES = FEATURE_ROUTES;

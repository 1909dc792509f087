export { createApi, type ApiDeps } from './app';
export { TokenRegistry, type ApiUser } from './auth';
export { ROUTES, allowed, type RouteSpec } from './routes';
export { openApiDocument } from './openapi';
export { LiveEventBus, visibleTo, type LiveEvent } from './live-feed';

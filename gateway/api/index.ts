export { createApi } from './app';
export type { ApiDeps, ApiRuntime } from './deps';
export { TokenRegistry, type ApiUser } from './auth';
export { ROUTES, allowed, type RouteSpec } from './routes';
export { openApiDocument } from './openapi';
export { LiveEventBus, visibleTo, type LiveEvent } from './live-feed';
export { photoRefusalStatus } from './photo-refusal';

export { pointInPolygon, footPoint } from './geometry';
export { isArmed } from './schedule';
export { QueueAnalytics, isHead, type QueueSnapshot } from './queue';
export { ZonePresence, type PresenceChange } from './presence';
export { LineCrossings, ON_LINE_MARGIN, type Crossing, type InDirection } from './line-crossing';
export { inertiaOf, coolDownMsOf, DEFAULT_ENTER_AFTER_SECONDS, DEFAULT_EXIT_AFTER_SECONDS, DEFAULT_COOL_DOWN_SECONDS, type Inertia } from './inertia';
export { localDay } from './local-day';

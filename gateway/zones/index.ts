export { pointInPolygon, footPoint } from './geometry';
export { isArmed } from './schedule';
export { QueueAnalytics, type QueueSnapshot } from './queue';

export { LiveViewHub, type LiveViewOptions, type RelayInfo } from './hub';

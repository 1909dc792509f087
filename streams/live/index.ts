export { ACCESS_ENDED, LiveViewHub, type LiveViewer, type LiveViewOptions, type RelayInfo } from './hub';

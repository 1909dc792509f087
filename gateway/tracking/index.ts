export { Tracker, DEFAULT_TRACKER_OPTIONS, type Track, type TrackerDetection, type TrackerOptions, type TrackerUpdate } from './tracker';
export { iou, area, type BoxXYXY } from './box';

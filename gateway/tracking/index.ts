export { Tracker, DEFAULT_TRACKER_OPTIONS, trackerOptionsFor, type Track, type TrackerDetection, type TrackerOptions, type TrackerUpdate } from './tracker';
export { personScores, KEEP_ALIVE_SCORE, type PersonScores } from './thresholds';
export { iou, area, type BoxXYXY } from './box';

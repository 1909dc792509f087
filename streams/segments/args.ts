/** Entries kept in the segment list (ffmpeg rewrites it as each segment closes): the reader polls far more often. */
const LIST_SIZE = 10;

/** Where one ffmpeg run writes its segments: files `<pattern>` (with %06d) and the list they are announced in. */
export interface SegmentRun {
  id: string;
  pattern: string;
  list: string;
  seconds: number;
}

/**
 * Options of the detection ffmpeg's second output: the camera's original video, copied (no decode,
 * no encode), cut at the first keyframe after each `seconds` into MPEG-TS files, each announced in a
 * CSV list once complete (the newest 10 entries). Timestamps restart in each file so any run of them concatenates cleanly.
 */
export function segmentOutputOptions(run: SegmentRun): string[] {
  return [
    '-map', '0:v:0', '-c:v', 'copy', '-an', '-sn', '-dn',
    '-f', 'segment', '-segment_time', String(run.seconds), '-segment_format', 'mpegts',
    '-reset_timestamps', '1', '-segment_list', run.list, '-segment_list_type', 'csv', '-segment_list_size', String(LIST_SIZE),
  ];
}

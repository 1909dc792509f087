export const FAILURE_REASONS = [
  'connection_refused',
  'timeout',
  'unauthorized',
  'not_found',
  'unsupported_codec',
  'invalid_data',
  'no_frames',
  'exited',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Reasons that will not fix themselves by reconnecting quickly: the camera goes to `failed`. */
export const FATAL_REASONS: ReadonlySet<FailureReason> = new Set(['unauthorized', 'not_found', 'unsupported_codec', 'invalid_data']);

const PATTERNS: ReadonlyArray<[RegExp, FailureReason]> = [
  [/401 Unauthorized|authorization failed/i, 'unauthorized'],
  [/404 Not Found|No such file or directory|Server returned 404/i, 'not_found'],
  [/Connection refused/i, 'connection_refused'],
  [/timed out|Connection timeout|Operation timed out/i, 'timeout'],
  [/Decoder \(codec [^)]*\) not found|Unsupported codec|no decoder|Decoding requested, but no decoder/i, 'unsupported_codec'],
  [/Invalid data found when processing input|could not find codec parameters|moov atom not found|End of file while parsing/i, 'invalid_data'],
];

/** Classifies one ffmpeg stderr line, or undefined when it says nothing about a failure. */
export function classifyStderr(line: string): FailureReason | undefined {
  for (const [pattern, reason] of PATTERNS) if (pattern.test(line)) return reason;
  return undefined;
}

const SHOWINFO = /\bn:\s*(\d+)\s+pts:\s*(-?\d+)\s+pts_time:(-?[\d.]+)/;

/** Frame index and stream time from an ffmpeg `showinfo` line. */
export function parseShowinfo(line: string): { index: number; ptsTime: number } | undefined {
  const m = SHOWINFO.exec(line);
  return m ? { index: Number(m[1]), ptsTime: Number(m[3]) } : undefined;
}

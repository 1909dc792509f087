/** Codecs an MP4 clip made by stream copy can carry and a browser can play. */
export const CLIP_CODECS: ReadonlySet<string> = new Set(['h264', 'hevc']);

/**
 * The video codec of ffmpeg's first input stream, from its stderr banner line
 * `  Stream #0:0: Video: h264 (Main), yuv420p(progressive), 960x720, ...` (also `#0:0(und)`, `#0:0[0x100]`).
 * Output streams are printed later as `Stream #1:0` or `Stream #0:0` under `Output #0`, so callers take the
 * first match of a run only.
 */
export function inputVideoCodec(line: string): string | undefined {
  const m = /^\s*Stream #0:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: Video: ([A-Za-z0-9_]+)/.exec(line);
  return m?.[1];
}

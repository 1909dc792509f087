/**
 * The end of `text`, at most `max` characters, starting at a line: a cut inside a line could leave
 * a password without the `scheme://user:` before it, which the mask would no longer recognise.
 */
export function keepWholeLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = text.slice(-max);
  const lineStart = tail.indexOf('\n');
  return lineStart < 0 ? '' : tail.slice(lineStart + 1);
}

/**
 * ffmpeg's closing error: the last lines of stderr that are not indented stream details and not
 * `[component @ 0x...]` messages (what fluent-ffmpeg put in its error message), e.g.
 * `rtsp://127.0.0.1:8554/hall: Connection refused`.
 */
export function closingError(stderr: string): string {
  const lines: string[] = [];
  for (const line of stderr.split(/\r\n|\r|\n/)) {
    if (line.startsWith(' ') || line.startsWith('[')) lines.length = 0;
    else lines.push(line);
  }
  return lines.join('\n');
}

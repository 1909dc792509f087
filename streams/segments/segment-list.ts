/** One line of ffmpeg's segment list (`-segment_list_type csv`): `name,start,end` in seconds of stream time. */
export interface ListedSegment {
  file: string;
  start: number;
  end: number;
}

/** Parses complete lines; a malformed line is skipped (it names no file we wrote). */
export function parseSegmentList(text: string): ListedSegment[] {
  const out: ListedSegment[] = [];
  for (const line of text.split('\n')) {
    const m = /^"?([^",/\\]+\.ts)"?,(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)\s*$/.exec(line);
    if (!m) continue;
    const start = Number(m[2]);
    const end = Number(m[3]);
    if (Number.isFinite(start) && Number.isFinite(end) && end > start) out.push({ file: m[1]!, start, end });
  }
  return out;
}

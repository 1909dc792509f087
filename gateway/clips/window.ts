import type { BufferedSegment } from '../../streams/segments';

/** Why a clip is shorter than its event's window (codes; the dashboard translates them). */
export const CLIP_REASONS = ['camera_outage', 'gap', 'no_preroll', 'max_clip_seconds', 'gateway_stopped', 'unsupported_codec', 'no_video', 'assembly_failed', 'buffer_paused'] as const;
export type ClipReason = (typeof CLIP_REASONS)[number];

/** More missing than this at an end or in the middle makes the clip truncated (a segment is cut at a keyframe). */
const SLACK_MS = 1000;

export interface ClipPlan {
  segments: BufferedSegment[];
  startMs: number;
  endMs: number;
  reasons: ClipReason[];
}

/**
 * Which segments make the clip for [fromMs, toMs]. Stream copy starts on a keyframe, which is a
 * segment's first frame, so the clip starts at the segment boundary nearest to `fromMs` (at most
 * half a segment early or late) and is cut at `toMs` or where the video ends.
 */
export function planClip(available: readonly BufferedSegment[], fromMs: number, toMs: number): ClipPlan | undefined {
  const segs = available.filter((s) => s.endMs > fromMs && s.startMs < toMs);
  const first = segs[0];
  if (first && first.startMs < fromMs && fromMs - first.startMs > first.endMs - fromMs && segs.length > 1) segs.shift();
  if (segs.length === 0) return undefined;
  const startMs = segs[0]!.startMs;
  const endMs = Math.min(toMs, segs.at(-1)!.endMs);
  const reasons: ClipReason[] = [];
  if (startMs > fromMs + SLACK_MS) reasons.push('no_preroll');
  if (segs.some((s, i) => i > 0 && s.startMs - segs[i - 1]!.endMs > SLACK_MS)) reasons.push('gap');
  if (endMs < toMs - SLACK_MS) reasons.push('camera_outage');
  return { segments: segs, startMs, endMs, reasons };
}

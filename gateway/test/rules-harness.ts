import type { EventSink } from '../pipeline/events';
import type { Track } from '../tracking';

/** Synthetic frames for the zone-rule tests: a 1000x1000 frame, feet given in normalised coordinates. */
export const W = 1000;
export const H = 1000;

/** A confirmed track standing with its feet at (fx, fy) in normalised coordinates. */
export const at = (id: number, fx: number, fy: number, lastSeen = 0): Track => ({
  id, box: { x1: fx * W - 20, y1: fy * H - 100, x2: fx * W + 20, y2: fy * H }, score: 0.9, confirmed: true, hits: 5, firstSeen: 0, lastSeen, vx: 0, vy: 0,
});

export interface Logged {
  phase: 'start' | 'update' | 'end';
  type: string;
  uid: string;
  at: number;
  data: Record<string, unknown>;
  trackId?: number;
}

/** An EventSink that records every call, with the event type on each line. */
export function recorder(): { log: Logged[]; sink: EventSink; of: (type: string) => Logged[] } {
  const log: Logged[] = [];
  const types = new Map<string, string>();
  const sink: EventSink = {
    start: (e) => {
      types.set(e.uid, e.type);
      log.push({ phase: 'start', type: e.type, uid: e.uid, at: e.at, data: e.data ?? {}, ...(e.trackId !== undefined ? { trackId: e.trackId } : {}) });
    },
    update: (uid, t, data) => log.push({ phase: 'update', type: types.get(uid) ?? '?', uid, at: t, data }),
    end: (uid, t, data) => log.push({ phase: 'end', type: types.get(uid) ?? '?', uid, at: t, data }),
  };
  return { log, sink, of: (type) => log.filter((e) => e.type === type) };
}

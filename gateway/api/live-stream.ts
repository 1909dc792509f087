import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ApiUser } from './auth';
import { jsonError } from './errors';
import type { ApiEnv } from './env';
import { visibleTo, type AccessChanges, type LiveEventBus } from './live-feed';

export interface LiveStreamLimits {
  /** Open /api/live streams one user may hold (a dashboard tab holds one). */
  perUser: number;
  /** Open /api/live streams of everyone together. */
  total: number;
}

export const DEFAULT_LIVE_STREAM_LIMITS: LiveStreamLimits = { perUser: 8, total: 100 };

/** Places for open streams, per user and in total. */
export class StreamSlots {
  private readonly byUser = new Map<string, number>();
  private open = 0;

  constructor(private readonly limits: LiveStreamLimits) {}

  /** A function that gives the place back (once), or why there is none. */
  take(user: string): (() => void) | { refused: string } {
    const mine = this.byUser.get(user) ?? 0;
    if (mine >= this.limits.perUser) return { refused: `at most ${this.limits.perUser} live streams per user; close one first` };
    if (this.open >= this.limits.total) return { refused: `at most ${this.limits.total} live streams at once; try again later` };
    this.byUser.set(user, mine + 1);
    this.open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
      const left = (this.byUser.get(user) ?? 1) - 1;
      if (left > 0) this.byUser.set(user, left);
      else this.byUser.delete(user);
    };
  }
}

export interface LiveFeedDeps {
  events: LiveEventBus;
  access: AccessChanges;
  slots: StreamSlots;
  cameras: () => unknown[];
  intervalMs: number;
  now: () => number;
}

/**
 * GET /api/live: live counts every interval and each new event the caller's role may see. The caller
 * is resolved again (`current`: the user as they are now, if they may still read the feed) at every
 * tick, before every event and at once when access changes; the stream ends when they no longer may.
 */
export function serveLiveFeed(c: Context<ApiEnv>, deps: LiveFeedDeps, current: () => ApiUser | undefined): Response {
  const release = deps.slots.take(c.get('user').name);
  if (typeof release !== 'function') return jsonError(c, 429, release.refused);
  return streamSSE(c, async (stream) => {
    let wake = (): void => undefined;
    const caller = (): ApiUser | undefined => {
      const user = current();
      if (!user) wake();
      return user;
    };
    const unsubscribeEvents = deps.events.subscribe((e) => {
      const user = caller();
      if (user && visibleTo(user.role, e.type)) void stream.writeSSE({ event: 'event', data: JSON.stringify(e) });
    });
    const unsubscribeAccess = deps.access.subscribe(() => void caller());
    stream.onAbort(() => wake());
    try {
      while (!stream.aborted && !stream.closed && caller()) {
        await stream.writeSSE({ event: 'counts', data: JSON.stringify({ at: deps.now(), cameras: deps.cameras() }) });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deps.intervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      unsubscribeEvents();
      unsubscribeAccess();
      release();
    }
  });
}

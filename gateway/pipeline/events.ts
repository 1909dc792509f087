import type { Severity } from '../store';

/** Where the rule engine's events go (the store through the batched writer, in the service). */
export interface EventSink {
  start(e: { uid: string; cameraId: string; zoneId?: string; trackId?: number; type: string; severity: Severity; at: number; data?: Record<string, unknown> }): void;
  update(uid: string, at: number, data: Record<string, unknown>): void;
  end(uid: string, at: number, data: Record<string, unknown>): void;
}

/**
 * A condition that must hold for `onAfterMs` before its event starts and be false for `offAfterMs`
 * before it ends, so a count hovering at a threshold does not flap.
 */
export class Hysteresis {
  private since: number | undefined;
  private clearSince: number | undefined;
  active = false;

  constructor(
    private readonly onAfterMs: number,
    private readonly offAfterMs: number,
  ) {}

  /** Returns 'start' or 'end' on a transition, else undefined. */
  step(condition: boolean, now: number): 'start' | 'end' | undefined {
    if (condition) {
      this.clearSince = undefined;
      this.since ??= now;
      if (!this.active && now - this.since >= this.onAfterMs) {
        this.active = true;
        return 'start';
      }
    } else {
      this.since = undefined;
      this.clearSince ??= now;
      if (this.active && now - this.clearSince >= this.offAfterMs) {
        this.active = false;
        return 'end';
      }
    }
    return undefined;
  }
}

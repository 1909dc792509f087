import { WIRE_VERSION } from '../wire';

/** The version a heartbeat falls back to against an older central: no `perf`. */
export const LEGACY_HEARTBEAT_VERSION = 2;
/** How long a refused version 3 is not tried again. */
export const LEGACY_HOLD_MS = 3_600_000;

/**
 * Which wire version the heartbeat speaks. A version 2 central refuses a version 3 heartbeat with a
 * 400 naming `version` (or, told version 3 by a central that checks the version but not the keys,
 * the unknown key `perf`): the uplink then sends version 2 heartbeats without the performance
 * summary for LEGACY_HOLD_MS, and tries version 3 again after that (central may have been upgraded).
 */
export class HeartbeatVersion {
  private legacyUntil = 0;

  constructor(private readonly holdMs = LEGACY_HOLD_MS) {}

  current(now: number): typeof WIRE_VERSION | typeof LEGACY_HEARTBEAT_VERSION {
    return now < this.legacyUntil ? LEGACY_HEARTBEAT_VERSION : WIRE_VERSION;
  }

  /** True when this answer to a heartbeat of `sent` version means "too new": from now on send version 2 for a while. */
  refused(sent: number, status: number, field: string | undefined, error: string | undefined, now: number): boolean {
    if (sent === LEGACY_HEARTBEAT_VERSION || status !== 400) return false;
    const tooNew = field === 'version' || (field ?? '').startsWith('perf') || /\bperf\b/.test(error ?? '');
    if (tooNew) this.legacyUntil = now + this.holdMs;
    return tooNew;
  }
}

/** Zone inertia defaults (README: zone settings); the schema leaves them optional so saved zones stay as written. */
export const DEFAULT_ENTER_AFTER_SECONDS = 1;
export const DEFAULT_EXIT_AFTER_SECONDS = 2;
/** How long a restricted, loitering or crowding incident stays open after its zone emptied. */
export const DEFAULT_COOL_DOWN_SECONDS = 30;

export interface Inertia {
  enterAfterMs: number;
  exitAfterMs: number;
}

export function inertiaOf(zone: { enterAfterSeconds?: number | undefined; exitAfterSeconds?: number | undefined }): Inertia {
  return {
    enterAfterMs: (zone.enterAfterSeconds ?? DEFAULT_ENTER_AFTER_SECONDS) * 1000,
    exitAfterMs: (zone.exitAfterSeconds ?? DEFAULT_EXIT_AFTER_SECONDS) * 1000,
  };
}

export const coolDownMsOf = (zone: { coolDownSeconds?: number | undefined }): number => (zone.coolDownSeconds ?? DEFAULT_COOL_DOWN_SECONDS) * 1000;

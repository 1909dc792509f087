/**
 * The person scores the gateway works with, from `models.personThreshold`:
 * - a detection scoring at least `personThreshold` starts a track (and so is counted);
 * - a detection scoring at least `keepAlive` but below it only keeps an existing, confirmed track
 *   alive (ByteTrack's second pass), so a person who scores low for a moment keeps their ID.
 * The detector reports down to `keepAlive`: nothing scoring less reaches the tracker.
 */
export interface PersonScores {
  personThreshold: number;
  keepAlive: number;
}

/** ByteTrack's usual low-score cut: below it a box is too often not a person to keep a track alive. */
export const KEEP_ALIVE_SCORE = 0.2;

/** keepAlive is 0.2, or personThreshold itself when that is lower (the second pass is then empty). */
export function personScores(personThreshold: number): PersonScores {
  return { personThreshold, keepAlive: Math.min(KEEP_ALIVE_SCORE, personThreshold) };
}

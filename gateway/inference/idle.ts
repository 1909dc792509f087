/** How long a closing worker may take to finish the job it is running (a CPU model run takes tens of ms; calibration longer). */
export const CLOSE_WAIT_MS = 5000;

/** Resolves once `busy()` is false, or after `timeoutMs` (a hung job must not hold up a shutdown). */
export async function untilIdle(busy: () => boolean, timeoutMs = CLOSE_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

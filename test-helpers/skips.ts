/**
 * Tests that need a system package (PostgreSQL, chromium, openssl) skip with a warning where it is
 * missing, so `npm test` passes on a bare machine. CI sets REQUIRE_ALL_TESTS=1: there a missing
 * package fails the run instead of silently skipping what it should prove.
 */
export function unavailable(what: string, reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  if (process.env.REQUIRE_ALL_TESTS === '1') throw new Error(`${what} tests cannot run and REQUIRE_ALL_TESTS=1: ${reason}`);
  console.warn(`\n[${what} tests] SKIPPED: ${reason}\n`);
  return reason;
}

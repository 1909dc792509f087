import { describe, expect, it } from 'vitest';
import { CENTRAL_FUZZ_ROLES, centralCases, centralRoutes } from '../../test-helpers/fuzz/central-cases';
import { CENTRAL_FUZZ_ADMIN_TOKEN, startCentralFuzzFixture } from '../../test-helpers/fuzz/central-fixture';
import { centralTarget } from '../../test-helpers/fuzz/central-target';
import { answered, formatReport, prototypeKeys, runFuzz, uncovered } from '../../test-helpers/fuzz/driver';
import { fuzzSeed, Rng } from '../../test-helpers/fuzz/prng';
import { BACKENDS, skipBackend, useDatabases } from './helpers/central';

/** Requests per store; gateway/test/fuzz.test.ts sends the gateway's share. */
const REQUESTS = 700;

const databases = useDatabases();

for (const backend of BACKENDS) {
  describe.skipIf(skipBackend(backend))(`central fuzz on ${backend}`, () => {
    it(`answers ${REQUESTS} hostile requests over every route and role with no 5xx, no crash, and stores nothing it refused`, async () => {
      const seed = fuzzSeed();
      const url = await databases.fresh(backend);
      const fixture = await startCentralFuzzFixture(url);
      const target = await centralTarget(fixture, url, `central on ${backend}`);
      const prototypeBefore = prototypeKeys();
      try {
        const report = await runFuzz(target, seed, centralCases(new Rng(seed, `central-${backend}`), fixture, REQUESTS));
        console.info(formatReport(report));

        expect(report.sent).toBeGreaterThanOrEqual(REQUESTS);
        expect(uncovered(report, centralRoutes(fixture).map((r) => `${r.method} ${r.path}`), CENTRAL_FUZZ_ROLES)).toEqual([]);
        // Enough got past signature, authentication and validation to reach the store.
        expect(answered(report, 200, 300)).toBeGreaterThan(REQUESTS / 10);
        expect(report.findings, formatReport(report)).toEqual([]);
        expect(prototypeKeys(), 'Object.prototype gained keys').toEqual(prototypeBefore);
        // Still serving: health and an ordinary authorised read.
        expect((await fixture.app.request('/healthz')).status).toBe(200);
        expect((await fixture.app.request('/v1/fleet', { headers: { authorization: `Bearer ${CENTRAL_FUZZ_ADMIN_TOKEN}` } })).status).toBe(200);
      } finally {
        await target.fingerprint.close();
        await fixture.close();
      }
    });
  });
}

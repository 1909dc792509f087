import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answered, formatReport, prototypeKeys, runFuzz, uncovered, type FuzzCase } from '../../test-helpers/fuzz/driver';
import { sqliteFingerprinter } from '../../test-helpers/fuzz/fingerprint';
import { GATEWAY_FUZZ_ROLES, gatewayCases } from '../../test-helpers/fuzz/gateway-cases';
import { fuzzToken, startGatewayFuzzFixture, type GatewayFuzzFixture } from '../../test-helpers/fuzz/gateway-fixture';
import { gatewayTarget } from '../../test-helpers/fuzz/gateway-target';
import { hostilePhotos } from '../../test-helpers/fuzz/photos';
import { fuzzSeed, Rng } from '../../test-helpers/fuzz/prng';
import { ROUTES } from '../api';

/** Requests in this file; central-sync/test/fuzz.test.ts sends its own share per store. */
const REQUESTS = 1_600;

let fixture: GatewayFuzzFixture;
beforeAll(async () => {
  fixture = await startGatewayFuzzFixture();
});
afterAll(async () => {
  await fixture?.close();
});

describe('gateway API fuzz', () => {
  it(`answers ${REQUESTS} hostile requests over every route and role with no 5xx, no crash, and stores nothing it refused`, async () => {
    const seed = fuzzSeed();
    const prototypeBefore = prototypeKeys();
    const target = gatewayTarget(fixture);
    const report = await runFuzz(target, seed, gatewayCases(new Rng(seed, 'gateway'), fixture, await hostilePhotos(), REQUESTS));
    await target.fingerprint.close();
    console.info(formatReport(report));

    expect(report.sent).toBeGreaterThanOrEqual(REQUESTS);
    expect(uncovered(report, ROUTES.map((r) => `${r.method} ${r.path}`), GATEWAY_FUZZ_ROLES)).toEqual([]);
    // Enough got past authentication and validation to reach handlers and the store.
    expect(answered(report, 200, 300)).toBeGreaterThan(REQUESTS / 10);
    expect(report.findings, formatReport(report)).toEqual([]);
    expect(prototypeKeys(), 'Object.prototype gained keys').toEqual(prototypeBefore);
    // Still serving: health and an ordinary authorised read.
    expect((await fixture.request('/health', {})).status).toBe(200);
    expect((await fixture.request('/api/me', { headers: { authorization: `Bearer ${fuzzToken('ops')}` } })).status).toBe(200);
  });
});

describe('fuzz driver', () => {
  it('reports a 5xx, a table written by a refused request, an exception, a hang and a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-driver-'));
    const file = join(dir, 'probe.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x INTEGER)');
    const app = new Hono();
    app.get('/ok', (c) => c.json({ ok: true }));
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.post('/leak', (c) => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      return c.json({ error: 'refused, but wrote first' }, 400);
    });
    app.get('/throw', () => {
      // A non-Error escapes Hono's error handler: app.request rejects.
      throw 'not an error';
    });
    app.get('/hang', () => new Promise<Response>(() => undefined));
    app.get('/trace', (c) => c.text('Error: x\n    at handler (/srv/app.ts:12:3)', 400));
    const fingerprint = sqliteFingerprinter(file);
    async function* cases(): AsyncGenerator<FuzzCase> {
      for (const [method, path] of [['GET', '/ok'], ['GET', '/boom'], ['POST', '/leak'], ['GET', '/throw'], ['GET', '/hang'], ['GET', '/trace']] as const) {
        yield { route: `${method} ${path}`, role: 'probe', label: 'probe', request: { method, path, headers: {} } };
      }
    }
    try {
      const report = await runFuzz({ name: 'probe', send: async (r) => app.request(r.path, { method: r.method }), fingerprint, takeLoggedErrors: () => [] }, 1, cases(), 300);
      expect(report.findings.map((f) => `${f.kind}: ${f.route}`)).toEqual([
        'status >= 500: GET /boom',
        'stored from a refused request: POST /leak',
        'request threw: GET /throw',
        'no answer in time: GET /hang',
        'stack trace in the answer: GET /trace',
      ]);
      expect(report.sent).toBe(6);
      expect(formatReport(report)).toContain('FUZZ_SEED=1');
    } finally {
      await fingerprint.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

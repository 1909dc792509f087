import { describe, expect, it } from 'vitest';
import { openStore } from '../server';
import { applyUpdates } from '../server/store/derive';
import { loadMigrations, substitute } from '../server/store/migrations';
import { BACKENDS, mixedRecords, skipBackend, useDatabases } from './helpers/central';

const dbs = useDatabases();

describe('migrations', () => {
  it('substitute dialect tokens and refuse unknown ones', () => {
    const sqlite = loadMigrations('sqlite');
    const pg = loadMigrations('postgres');
    expect(sqlite.map((m) => m.version)).toEqual(pg.map((m) => m.version));
    expect(sqlite[0]!.sql).toContain('id INTEGER PRIMARY KEY');
    expect(pg[0]!.sql).toContain('id BIGSERIAL PRIMARY KEY');
    expect(pg[0]!.sql).toContain('payload JSONB');
    for (const m of [...sqlite, ...pg]) expect(m.sql).not.toMatch(/\{\{/);
    expect(() => substitute('CREATE TABLE t (x {{uuid}})', 'sqlite', '009_x.sql')).toThrow(/009_x.sql: unknown token \{\{uuid\}\}/);
  });
});

describe('event update merge', () => {
  it('applies updates in seq order and keeps the first end', () => {
    const state = applyUpdates({ data: { a: 1 }, updatedAt: 10, endedAt: null }, [
      { seq: 3, at: 30, phase: 'end', data: { a: 3 } },
      { seq: 2, at: 20, phase: 'update', data: { a: 2, b: 2 } },
      { seq: 4, at: 40, phase: 'end', data: {} },
    ]);
    expect(state).toEqual({ data: { a: 3, b: 2 }, updatedAt: 40, endedAt: 30 });
  });
});

describe.each(BACKENDS)('central store on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  it('reopens a migrated database without re-applying anything and keeps its data', async () => {
    const url = await dbs.fresh(backend);
    const first = await openStore(url);
    await first.createEnrolment({ digest: 'd'.repeat(64), siteId: 's1', siteName: 'S1', createdAt: 1, expiresAt: Date.now() + 60_000 });
    const redeemed = await first.redeemEnrolment({ digest: 'd'.repeat(64), now: Date.now(), gatewayId: 'gw-1', gatewayName: 'one', secret: 'ab'.repeat(32) });
    expect(redeemed).toEqual({ ok: true, gatewayId: 'gw-1', siteId: 's1' });
    expect(await first.ingest({ gatewayId: 'gw-1', siteId: 's1', receivedAt: Date.now(), records: mixedRecords(1, 20) })).toEqual({ stored: 20, duplicates: 0, highestSeq: 20 });
    await first.close();
    const second = await openStore(url);
    try {
      expect(await second.recordCount('gw-1')).toBe(20);
      expect(await second.getGateway('gw-1')).toMatchObject({ siteId: 's1', name: 'one', revokedAt: null });
      expect(await second.redeemEnrolment({ digest: 'd'.repeat(64), now: Date.now(), gatewayId: 'gw-2', gatewayName: 'two', secret: 'cd'.repeat(32) })).toEqual({ ok: false, reason: 'used' });
      expect(await second.getGateway('gw-2')).toBeUndefined();
    } finally {
      await second.close();
    }
  });

  it('remembers nonces per gateway until purged', async () => {
    const store = await openStore(await dbs.fresh(backend));
    try {
      expect(await store.claimNonce('gw-a', 'n'.repeat(32), 1000)).toBe(true);
      expect(await store.claimNonce('gw-a', 'n'.repeat(32), 2000)).toBe(false);
      expect(await store.claimNonce('gw-b', 'n'.repeat(32), 2000)).toBe(true);
      expect(await store.claimNonce('gw-a', 'm'.repeat(32), 5000)).toBe(true);
      expect(await store.purgeNonces(3000)).toBe(2);
      // Purged nonces are past the clock-skew window, so the timestamp check refuses their requests.
      expect(await store.claimNonce('gw-a', 'n'.repeat(32), 6000)).toBe(true);
      expect(await store.claimNonce('gw-a', 'm'.repeat(32), 6000)).toBe(false);
    } finally {
      await store.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type CentralServer } from '../server';
import { runHousekeeping } from '../server/console/housekeeping';
import { appendAudit } from '../server/store/audit-sql';
import { insertConsoleSession } from '../server/store/console-sql';
import { ADMIN_TOKEN, BACKENDS, skipBackend, startTestServer, TestClock, useDatabases } from './helpers/central';
import { consoleLogin } from './helpers/console-session';

const dbs = useDatabases();
const DAY = 86_400_000;
const MIN = 60_000;

describe.each(BACKENDS)('console housekeeping on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  const clock = new TestClock();
  beforeAll(async () => {
    // With retention configured, housekeeping runs beside it, once at start and then hourly.
    server = await startTestServer(await dbs.fresh(backend), { now: clock.now, retention: { days: 90, faceCropDays: 7 }, auditRetentionDays: 30 });
  });
  afterAll(() => server?.close());
  const count = async (table: string) => Number((await server.store.sql.get(`SELECT COUNT(*) AS n FROM ${table}`))!.n);

  it('deletes expired sessions, login attempts past the window and audit rows past auditDays, in batches, and nothing else', async () => {
    // Its own store: no scheduled run of a server's job can interleave.
    const store = await openStore(await dbs.fresh(backend));
    const sql = store.sql;
    const now = Date.now();
    for (let i = 0; i < 5; i += 1) {
      await insertConsoleSession(sql, { digest: `expired-${i}`, kind: 'bootstrap', fingerprint: 'f', createdAt: now - DAY, expiresAt: now - i - 1 });
      await sql.run('INSERT INTO console_login_attempts (key, at) VALUES (?, ?)', [`addr:old-${i}`, now - 10 * MIN - i]);
      await appendAudit(sql, { at: now - 31 * DAY - i, actor: 'bootstrap', action: 'old.action' });
    }
    await insertConsoleSession(sql, { digest: 'live', kind: 'bootstrap', fingerprint: 'f', createdAt: now, expiresAt: now + DAY });
    await sql.run('INSERT INTO console_login_attempts (key, at) VALUES (?, ?)', ['addr:recent', now - MIN]);
    await appendAudit(sql, { at: now - 29 * DAY, actor: 'bootstrap', action: 'recent.action' });

    const report = await runHousekeeping(sql, { auditDays: 30, throttleWindowMs: 5 * MIN, batchRows: 2 }, now);
    expect(report).toEqual({ sessions: 5, attempts: 5, audit: 5, interrupted: false });
    expect(await sql.all('SELECT digest FROM console_sessions')).toEqual([{ digest: 'live' }]);
    expect(await sql.all('SELECT key FROM console_login_attempts')).toEqual([{ key: 'addr:recent' }]);
    expect((await sql.all('SELECT action FROM audit_log')).map((r) => r.action)).toEqual(['recent.action']);
    await store.close();
  });

  it('the server runs it on its schedule: a 12-hour session is gone once it has expired', async () => {
    const { cookie } = await consoleLogin(server.url, { token: ADMIN_TOKEN });
    expect(cookie).toBeDefined();
    expect(await count('console_sessions')).toBe(1);
    clock.offsetMs += 13 * 3_600_000;
    await server.housekeeping!.runNow();
    expect(await count('console_sessions')).toBe(0);
  });
});

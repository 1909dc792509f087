import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store';
import { loginCookie, startAuthApi, withCookie, type AuthApi, type ConfiguredUser } from './auth-harness';

const MIGRATIONS = join(import.meta.dirname, '..', 'store', 'migrations');
const dir = mkdtempSync(join(tmpdir(), 'gw-auth-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ADMIN_TOKEN = 'admin-token-before-rotation-0123456789';
const ROTATED_TOKEN = 'admin-token-after-rotation-9876543210';
const admin: ConfiguredUser = { name: 'lan.admin', role: 'admin', token: ADMIN_TOKEN };
const keeper: ConfiguredUser = { name: 'keeper', role: 'admin', token: 'keeper-admin-token-0123456789abcdef' };

let running: AuthApi | undefined;
/** Starts the API over `file` with these configured users, stopping the one before: a restart. */
async function restart(file: string, users: ConfiguredUser[]): Promise<AuthApi> {
  await running?.stop();
  running = await startAuthApi(join(dir, file), users);
  return running;
}
afterAll(async () => running?.stop());

let made = 0;
/** What an admin's cookie may still do: create an admin, read the audit, and who it says it is. */
async function powers(api: AuthApi, cookie: string) {
  const me = await withCookie(api.base, cookie, '/api/me');
  const created = await withCookie(api.base, cookie, '/api/users', { method: 'POST', body: { name: `made${++made}`, role: 'admin' } });
  const audit = await withCookie(api.base, cookie, '/api/audit');
  return { me: me.status === 200 ? ((await me.json()) as { name: string; role: string }) : me.status, createUser: created.status, audit: audit.status };
}

describe('dashboard sessions follow the current users', () => {
  it('a session acts with the role the user has now: demoted after a restart, it may no longer create users or read the audit', async () => {
    let api = await restart('demoted.sqlite', [admin, keeper]);
    const cookie = await loginCookie(api.base, { token: ADMIN_TOKEN });
    expect(await powers(api, cookie)).toMatchObject({ me: { name: 'lan.admin', role: 'admin' }, createUser: 201, audit: 200 });

    api = await restart('demoted.sqlite', [{ ...admin, role: 'supervisor' }, keeper]);
    expect(await powers(api, cookie)).toEqual({ me: { name: 'lan.admin', role: 'supervisor' }, createUser: 403, audit: 403 });
  });

  it('a session opened with a token ends when that token is rotated', async () => {
    let api = await restart('rotated.sqlite', [admin, keeper]);
    const cookie = await loginCookie(api.base, { token: ADMIN_TOKEN });
    api = await restart('rotated.sqlite', [{ ...admin, token: ROTATED_TOKEN }, keeper]);
    expect(await powers(api, cookie)).toEqual({ me: 401, createUser: 401, audit: 401 });
    // Rotating back does not revive it: a session found stale is deleted.
    api = await restart('rotated.sqlite', [admin, keeper]);
    expect((await withCookie(api.base, cookie, '/api/me')).status).toBe(401);
    const fresh = await loginCookie(api.base, { token: ADMIN_TOKEN });
    expect((await withCookie(api.base, fresh, '/api/audit')).status).toBe(200);
  });

  it('a session ends when its user is removed from the configuration', async () => {
    let api = await restart('removed.sqlite', [admin, keeper]);
    const cookie = await loginCookie(api.base, { token: ADMIN_TOKEN });
    api = await restart('removed.sqlite', [keeper]);
    expect(await powers(api, cookie)).toEqual({ me: 401, createUser: 401, audit: 401 });
    const rows = api.db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE user = ?').get('lan.admin') as { n: number };
    expect(rows.n).toBe(0);
  });

  it('a password session of a user created at run time ends when the user is disabled or their password changes', async () => {
    const api = await restart('runtime.sqlite', [keeper]);
    await api.users.create('guard.b', 'admin', Date.now(), 'first password 123');
    const cookie = await loginCookie(api.base, { name: 'guard.b', password: 'first password 123' });
    expect((await withCookie(api.base, cookie, '/api/audit')).status).toBe(200);
    // Another process (or a later admin tool) changes the row; the next request sees it.
    api.db.prepare("UPDATE users SET role = 'ops' WHERE name = 'guard.b'").run();
    expect((await withCookie(api.base, cookie, '/api/audit')).status).toBe(403);
    expect(await (await withCookie(api.base, cookie, '/api/me')).json()).toEqual({ name: 'guard.b', role: 'ops' });
    api.db.prepare("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE name = 'guard.b') || 'x' WHERE name = 'guard.b'").run();
    expect((await withCookie(api.base, cookie, '/api/me')).status).toBe(401);

    await api.users.create('guard.c', 'admin', Date.now(), 'second password 123');
    const other = await loginCookie(api.base, { name: 'guard.c', password: 'second password 123' });
    api.db.prepare("UPDATE users SET disabled = 1 WHERE name = 'guard.c'").run();
    expect((await withCookie(api.base, other, '/api/me')).status).toBe(401);
  });

  it('sessions opened before credentials were recorded are ended by migration 007', () => {
    // A database as the previous release left it (migrations up to 006), holding an admin's session.
    const file = join(dir, 'before-007.sqlite');
    const old = new Database(file);
    for (const sql of readdirSync(MIGRATIONS).filter((f) => /^00[1-6]_.+\.sql$/.test(f)).sort()) old.exec(readFileSync(join(MIGRATIONS, sql), 'utf8'));
    old.pragma('user_version = 6');
    old.prepare('INSERT INTO sessions (digest, user, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run('d'.repeat(64), 'lan.admin', 'admin', Date.now(), Date.now() + 3_600_000);
    old.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    db.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { PATHS } from '../wire';
import { ADMIN_TOKEN, api, BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, TestClock, useDatabases } from './helpers/central';
import { captureLog } from './helpers/capture-log';
import { consoleLogin, withCookie } from './helpers/console-session';

const dbs = useDatabases();
const PASSWORD = 'correct horse battery';

describe.each(BACKENDS)('console login and sessions on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  let databaseUrl: string;
  const log = captureLog();
  const tokens = { security: { id: 0, token: '' }, ops: { id: 0, token: '' } };
  const createUser = (name: string, role: string, password = PASSWORD) => api(server.url, 'POST', '/v1/admin/users', ADMIN_TOKEN, { name, role, password });

  beforeAll(async () => {
    databaseUrl = await dbs.fresh(backend);
    // A high limit here: the throttle has its own server below.
    server = await startTestServer(databaseUrl, { loginThrottle: { limit: 1000 }, log });
    for (const role of ['security', 'ops'] as const) {
      const r = await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: `${role}-token`, role });
      tokens[role] = { id: Number(r.json.id), token: String(r.json.token) };
    }
  });
  afterAll(() => server?.close());

  it('logs in with the bootstrap admin token; the cookie is HttpOnly, SameSite=Strict, Path=/ and carries no stored secret', async () => {
    const r = await consoleLogin(server.url, { token: ADMIN_TOKEN });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: 'bootstrap-admin', role: 'admin' });
    expect(r.setCookie).toMatch(/^central_session=[A-Za-z0-9_-]{43};/);
    expect(r.setCookie).toMatch(/; HttpOnly/);
    expect(r.setCookie).toMatch(/; SameSite=Strict/);
    expect(r.setCookie).toMatch(/; Path=\//);
    expect(r.setCookie).not.toMatch(/; Secure/); // plain http on loopback
    const id = r.cookie!.split('=')[1]!;
    const rows = await server.store.sql.all('SELECT digest, kind FROM console_sessions');
    expect(rows.some((row) => row.kind === 'bootstrap')).toBe(true);
    expect(rows.every((row) => row.digest !== id)).toBe(true);
    expect((await withCookie(server.url, 'GET', '/v1/admin/users', r.cookie!)).status).toBe(200);
    // Behind the TLS proxy the cookie is Secure.
    const viaProxy = await consoleLogin(server.url, { token: ADMIN_TOKEN }, { 'x-forwarded-proto': 'https' });
    expect(viaProxy.setCookie).toMatch(/; Secure/);
    // Signing in again from the same browser issues a new id and ends the old session.
    const again = await consoleLogin(server.url, { token: ADMIN_TOKEN }, { cookie: r.cookie! });
    expect(again.cookie).not.toBe(r.cookie);
    expect((await withCookie(server.url, 'GET', '/v1/admin/users', r.cookie!)).status).toBe(401);
    expect((await withCookie(server.url, 'GET', '/v1/admin/users', again.cookie!)).status).toBe(200);
  });

  it('logs in with an API token, with its role', async () => {
    const r = await consoleLogin(server.url, { token: tokens.security.token });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: 'security-token', role: 'security' });
    expect((await withCookie(server.url, 'GET', '/v1/events', r.cookie!)).status).toBe(200);
    const refused = await withCookie(server.url, 'GET', '/v1/fleet', r.cookie!);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toBe('role security may not read the fleet');
  });

  it('logs in with a name and password; wrong ones get 401 naming the field, malformed bodies 400 naming it', async () => {
    expect((await createUser('ana', 'ops')).status).toBe(201);
    const ok = await consoleLogin(server.url, { name: 'ana', password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ name: 'ana', role: 'ops' });
    expect((await withCookie(server.url, 'GET', '/v1/fleet', ok.cookie!)).status).toBe(200);

    for (const body of [{ name: 'ana', password: 'wrong password' }, { name: 'nobody', password: PASSWORD }]) {
      const r = await consoleLogin(server.url, body);
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: 'wrong user name or password', field: 'password' });
      expect(r.cookie).toBeUndefined();
    }
    const badToken = await consoleLogin(server.url, { token: 'not-a-token-of-this-server' });
    expect(badToken.status).toBe(401);
    expect(badToken.json.field).toBe('token');
    expect((await consoleLogin(server.url, { name: 'ana' })).json).toMatchObject({ field: 'password' });
    expect((await consoleLogin(server.url, { name: 'ana', password: PASSWORD, extra: 1 })).json).toMatchObject({ field: 'extra' });
    expect((await consoleLogin(server.url, { token: '' })).status).toBe(400);
  });

  it('refuses a state-changing request by cookie from another origin; bearer clients are unaffected', async () => {
    const { cookie } = await consoleLogin(server.url, { token: ADMIN_TOKEN });
    const body = { name: 'xo-user', role: 'ops', password: PASSWORD };
    const crossOrigin = await withCookie(server.url, 'POST', '/v1/admin/users', cookie!, body, { origin: 'http://evil.example' });
    expect(crossOrigin.status).toBe(403);
    expect(crossOrigin.json).toMatchObject({ error: 'cross-origin request refused', field: 'origin' });
    const crossSite = await fetch(`${server.url}/v1/admin/users`, {
      method: 'POST',
      headers: { cookie: cookie!, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify(body),
    });
    expect(crossSite.status).toBe(403);
    expect((await api(server.url, 'GET', '/v1/admin/users', ADMIN_TOKEN)).json.users).not.toContainEqual(expect.objectContaining({ name: 'xo-user' }));
    // Nor may another site sign the browser in or out.
    expect((await consoleLogin(server.url, { token: ADMIN_TOKEN }, { origin: 'http://evil.example' })).status).toBe(403);
    const logoutFromElsewhere = await fetch(`${server.url}/console/logout`, { method: 'POST', headers: { cookie: cookie!, origin: 'http://evil.example' } });
    expect(logoutFromElsewhere.status).toBe(403);
    expect((await withCookie(server.url, 'GET', '/v1/admin/users', cookie!)).status).toBe(200);
    // The same request from the console's own origin passes.
    expect((await withCookie(server.url, 'POST', '/v1/admin/users', cookie!, body)).status).toBe(201);
    // A bearer token is no ambient credential: no origin check.
    const bearer = await fetch(`${server.url}/v1/admin/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ name: 'from-script', role: 'ops' }),
    });
    expect(bearer.status).toBe(201);
  });

  it('a session follows its user: a role change applies on the next request, disabling or a new password ends it', async () => {
    expect((await createUser('bao', 'ops')).status).toBe(201);
    let { cookie } = await consoleLogin(server.url, { name: 'bao', password: PASSWORD });
    expect((await withCookie(server.url, 'GET', '/v1/events', cookie!)).status).toBe(403);

    expect((await api(server.url, 'POST', '/v1/admin/users/bao/role', ADMIN_TOKEN, { role: 'security' })).status).toBe(200);
    expect((await withCookie(server.url, 'GET', '/v1/events', cookie!)).status).toBe(200);
    expect((await withCookie(server.url, 'GET', '/v1/fleet', cookie!)).status).toBe(403);

    expect((await api(server.url, 'POST', '/v1/admin/users/bao/disable', ADMIN_TOKEN)).status).toBe(200);
    const ended = await withCookie(server.url, 'GET', '/v1/events', cookie!);
    expect(ended.status).toBe(401);
    expect(ended.json.field).toBe('session');
    expect((await consoleLogin(server.url, { name: 'bao', password: PASSWORD })).status).toBe(401);

    expect((await api(server.url, 'POST', '/v1/admin/users/bao/enable', ADMIN_TOKEN)).status).toBe(200);
    ({ cookie } = await consoleLogin(server.url, { name: 'bao', password: PASSWORD }));
    expect((await withCookie(server.url, 'GET', '/v1/events', cookie!)).status).toBe(200);
    const reset = await api(server.url, 'POST', '/v1/admin/users/bao/password', ADMIN_TOKEN, { password: 'a brand new password' });
    expect(reset.status).toBe(200);
    expect(JSON.stringify(reset.json)).not.toMatch(/password|scrypt/);
    expect((await withCookie(server.url, 'GET', '/v1/events', cookie!)).status).toBe(401);
    expect((await consoleLogin(server.url, { name: 'bao', password: PASSWORD })).status).toBe(401);
    expect((await consoleLogin(server.url, { name: 'bao', password: 'a brand new password' })).status).toBe(200);
  });

  it('checks the holder on every request even where the session row survives a change made in the database directly', async () => {
    expect((await createUser('dai', 'ops')).status).toBe(201);
    const { cookie } = await consoleLogin(server.url, { name: 'dai', password: PASSWORD });
    expect((await withCookie(server.url, 'GET', '/v1/fleet', cookie!)).status).toBe(200);
    // Another password hash (as a script or an older instance might write it), sessions left in place.
    const other = String((await server.store.sql.get("SELECT password_hash FROM console_users WHERE name = 'ana'"))!.password_hash);
    await server.store.sql.run("UPDATE console_users SET password_hash = ? WHERE name = 'dai'", [other]);
    expect(await server.store.sql.get('SELECT COUNT(*) AS n FROM console_sessions WHERE user_id = (SELECT id FROM console_users WHERE name = ?)', ['dai'])).toMatchObject({ n: 1 });
    expect((await withCookie(server.url, 'GET', '/v1/fleet', cookie!)).status).toBe(401);

    const again = await consoleLogin(server.url, { name: 'dai', password: PASSWORD }); // ana's password now
    expect(again.status).toBe(200);
    await server.store.sql.run("UPDATE console_users SET disabled_at = 1 WHERE name = 'dai'");
    expect((await withCookie(server.url, 'GET', '/v1/fleet', again.cookie!)).status).toBe(401);
  });

  it('a session opened with an API token ends when the token is revoked', async () => {
    const { cookie } = await consoleLogin(server.url, { token: tokens.ops.token });
    expect((await withCookie(server.url, 'GET', '/v1/fleet', cookie!)).status).toBe(200);
    expect((await api(server.url, 'POST', `/v1/admin/tokens/${tokens.ops.id}/revoke`, ADMIN_TOKEN)).status).toBe(200);
    expect((await withCookie(server.url, 'GET', '/v1/fleet', cookie!)).status).toBe(401);
  });

  it('a bootstrap-token session ends when the server runs with another CENTRAL_ADMIN_TOKEN', async () => {
    const { cookie } = await consoleLogin(server.url, { token: ADMIN_TOKEN });
    const other = await startTestServer(databaseUrl, { adminToken: 'another-admin-token-0123456789' });
    try {
      expect((await withCookie(other.url, 'GET', '/v1/admin/users', cookie!)).status).toBe(401);
      expect((await withCookie(server.url, 'GET', '/v1/admin/users', cookie!)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('logout ends the session on the server, not only in the browser', async () => {
    const { cookie } = await consoleLogin(server.url, { token: ADMIN_TOKEN });
    expect((await withCookie(server.url, 'GET', '/v1/admin/users', cookie!)).status).toBe(200);
    const out = await fetch(`${server.url}/console/logout`, { method: 'POST', headers: { cookie: cookie!, origin: server.url } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^central_session=;/);
    expect((await withCookie(server.url, 'GET', '/v1/admin/users', cookie!)).status).toBe(401);
  });

  it('keeps the bearer API as it was: no credentials is still 401 missing bearer token', async () => {
    const r = await api(server.url, 'GET', '/v1/events', undefined);
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ error: 'missing bearer token', field: 'authorization' });
  });

  it('audits admin actions and logins without secrets, newest first, paged by cursor', async () => {
    const all = await api(server.url, 'GET', '/v1/admin/audit?limit=500', ADMIN_TOKEN);
    const entries = all.json.entries as Array<{ at: number; actor: string; action: string; target?: string }>;
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ['console.login', 'user.create', 'user.role', 'user.disable', 'user.enable', 'user.password', 'token.create', 'token.revoke']) expect(actions).toContain(a);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => b - a));
    const text = JSON.stringify(entries);
    for (const secret of [ADMIN_TOKEN, tokens.security.token, tokens.ops.token, PASSWORD, 'a brand new password']) expect(text).not.toContain(secret);

    const first = await api(server.url, 'GET', '/v1/admin/audit?limit=3', ADMIN_TOKEN);
    const second = await api(server.url, 'GET', `/v1/admin/audit?limit=3&cursor=${String(first.json.nextCursor)}`, ADMIN_TOKEN);
    expect([...(first.json.entries as unknown[]), ...(second.json.entries as unknown[])]).toEqual(entries.slice(0, 6));
    expect((await api(server.url, 'GET', '/v1/admin/audit?cursor=garbage', ADMIN_TOKEN)).json).toMatchObject({ field: 'cursor' });
    expect((await api(server.url, 'GET', '/v1/admin/audit', tokens.security.token)).status).toBe(403);
  });

  it('audit rows name the actor by kind and id; failed logins (one row per address a minute) and logouts are audited; log lines say user, not name', async () => {
    const since = Date.now() - 1;
    const rows = async () =>
      ((await api(server.url, 'GET', '/v1/admin/audit?limit=500', ADMIN_TOKEN)).json.entries as Array<{ at: number; actor: string; action: string; target?: string; detail?: Record<string, unknown> }>).filter(
        (e) => e.at >= since,
      );
    await consoleLogin(server.url, { name: 'ana', password: PASSWORD });
    await consoleLogin(server.url, { token: tokens.security.token });
    const boot = await consoleLogin(server.url, { token: ADMIN_TOKEN });
    // A token may not take the bootstrap token's name.
    expect((await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: 'Bootstrap-Admin', role: 'admin' })).json).toMatchObject({ field: 'name' });
    const logins = (await rows()).filter((e) => e.action === 'console.login').map((e) => e.actor);
    expect(logins).toEqual(expect.arrayContaining(['user:ana', `token:${tokens.security.id}:security-token`, 'bootstrap']));
    // Token-authenticated admin actions carry the token's id.
    const tk = await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: 'ana', role: 'admin' });
    await api(server.url, 'POST', '/v1/admin/enrolments', String(tk.json.token), { siteId: 'audit-site', siteName: 'Audit site' });
    expect((await rows()).find((e) => e.action === 'enrolment.create' && e.target === 'audit-site')?.actor).toBe(`token:${String(tk.json.id)}:ana`);

    await fetch(`${server.url}/console/logout`, { method: 'POST', headers: { cookie: boot.cookie!, origin: server.url } });
    expect((await rows()).filter((e) => e.action === 'console.logout').map((e) => e.actor)).toEqual(['bootstrap']);
    expect(log.find('console login').at(-1)!.fields).not.toHaveProperty('name');

    // Failed logins, on an instance whose clock is past the minute of the earlier tests' failures.
    const clock = new TestClock();
    clock.offsetMs = 10 * 60_000;
    const timedLog = captureLog();
    const timed = await startTestServer(databaseUrl, { now: clock.now, log: timedLog });
    try {
      for (const password of ['wrong one', 'wrong two']) expect((await consoleLogin(timed.url, { name: 'ana', password })).status).toBe(401);
      const failed = (await rows()).filter((e) => e.action === 'console.login_failed' && e.at >= since + clock.offsetMs);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ actor: 'address:127.0.0.1', target: 'user:ana', detail: { via: 'password', user: 'ana', address: '127.0.0.1' } });
      expect(JSON.stringify(failed)).not.toContain('wrong one');
      const refused = timedLog.find('console login refused');
      expect(refused).toHaveLength(2);
      expect(refused[0]!.fields).toMatchObject({ user: 'ana', via: 'password', address: '127.0.0.1' });
      expect(refused[0]!.fields).not.toHaveProperty('name');
      expect(JSON.stringify([...log.lines, ...timedLog.lines])).not.toContain(PASSWORD);
    } finally {
      await timed.close();
    }
  });

  it('lists users without password hashes and refuses a taken name, a short password and a non-admin', async () => {
    const list = await api(server.url, 'GET', '/v1/admin/users', ADMIN_TOKEN);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).not.toMatch(/scrypt|passwordHash|password_hash/);
    expect(list.json.users).toContainEqual(expect.objectContaining({ name: 'ana', role: 'ops', disabledAt: null }));
    expect((await createUser('ana', 'ops')).status).toBe(409);
    expect((await createUser('short', 'ops', 'abc')).json).toMatchObject({ field: 'password' });
    expect((await createUser('bad name!', 'ops')).json).toMatchObject({ field: 'name' });
    expect((await api(server.url, 'POST', '/v1/admin/users/nobody/role', ADMIN_TOKEN, { role: 'ops' })).status).toBe(404);
    expect((await api(server.url, 'POST', '/v1/admin/users', tokens.security.token, { name: 'x', role: 'ops', password: PASSWORD })).status).toBe(403);
    expect((await createUser('Bootstrap-Admin', 'admin')).json).toMatchObject({ field: 'name', error: "body name: 'bootstrap-admin' is reserved" });
  });

  it('an admin signed in with their password cannot disable or demote themselves; another admin can', async () => {
    expect((await createUser('root', 'admin')).status).toBe(201);
    const { cookie } = await consoleLogin(server.url, { name: 'root', password: PASSWORD });
    for (const [action, body] of [['disable', undefined], ['role', { role: 'ops' }]] as const) {
      const r = await withCookie(server.url, 'POST', `/v1/admin/users/root/${action}`, cookie!, body);
      expect(r.status, action).toBe(409);
      expect(r.json.field).toBe('name');
    }
    expect((await withCookie(server.url, 'GET', '/v1/admin/users', cookie!)).status).toBe(200);
    expect((await api(server.url, 'POST', '/v1/admin/users/root/disable', ADMIN_TOKEN)).status).toBe(200);
    expect((await withCookie(server.url, 'GET', '/v1/admin/users', cookie!)).status).toBe(401);
  });

  it('lists enrolment tokens with their state (unused, used by a gateway, expired), never the token', async () => {
    const clock = new TestClock();
    const timed = await startTestServer(databaseUrl, { now: clock.now });
    try {
      const gw = await enrolGateway(timed.url, 'enrol-used');
      await api(timed.url, 'POST', '/v1/admin/enrolments', ADMIN_TOKEN, { siteId: 'enrol-open', siteName: 'Open site', ttlHours: 1 });
      const short = await api(timed.url, 'POST', '/v1/admin/enrolments', ADMIN_TOKEN, { siteId: 'enrol-old', siteName: 'Old site', ttlHours: 0.001 });
      clock.offsetMs = 10_000;
      const r = await api(timed.url, 'GET', '/v1/admin/enrolments', ADMIN_TOKEN);
      const rows = r.json.enrolments as Array<Record<string, unknown>>;
      expect(rows.find((e) => e.siteId === 'enrol-used')).toMatchObject({ state: 'used', gatewayId: gw.id });
      expect(rows.find((e) => e.siteId === 'enrol-open')).toMatchObject({ state: 'unused', gatewayId: null });
      expect(rows.find((e) => e.siteId === 'enrol-old')).toMatchObject({ state: 'expired' });
      expect(JSON.stringify(r.json)).not.toContain(String(short.json.token));
      expect(rows.map((e) => e.createdAt)).toEqual([...rows.map((e) => e.createdAt as number)].sort((a, b) => b - a));
    } finally {
      await timed.close();
    }
  });

  it('a revoked gateway is refused on its next signed request', async () => {
    const gw = await enrolGateway(server.url, 'revoke-me');
    const beat = () => sendSigned(server.url, PATHS.heartbeat, gw, { version: 3, gatewayId: gw.id, at: Date.now(), cameras: [], backlog: 0, oldestUnsentAt: null, dropped: 0 });
    expect((await beat()).status).toBe(200);
    const { cookie } = await consoleLogin(server.url, { token: ADMIN_TOKEN });
    expect((await withCookie(server.url, 'POST', `/v1/admin/gateways/${gw.id}/revoke`, cookie!)).status).toBe(200);
    const refused = await beat();
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe('gateway revoked; enrol again');
  });
});

describe.each(BACKENDS)('console login throttle on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  let databaseUrl: string;
  const clock = new TestClock();
  beforeAll(async () => {
    databaseUrl = await dbs.fresh(backend);
    server = await startTestServer(databaseUrl, { now: clock.now, loginThrottle: { limit: 3, windowMs: 5 * 60_000 } });
    await api(server.url, 'POST', '/v1/admin/users', ADMIN_TOKEN, { name: 'tam', role: 'ops', password: PASSWORD });
  });
  afterAll(() => server?.close());

  it('counts attempts before verifying: after the limit even the right password gets 429', async () => {
    for (let i = 0; i < 3; i += 1) expect((await consoleLogin(server.url, { name: 'tam', password: `guess ${i}` })).status).toBe(401);
    const blocked = await consoleLogin(server.url, { name: 'tam', password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.cookie).toBeUndefined();
    const audit = (await api(server.url, 'GET', '/v1/admin/audit?limit=500', ADMIN_TOKEN)).json.entries as Array<{ action: string; actor: string }>;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'console.login_throttled', actor: 'address:127.0.0.1' }));
    // The address is blocked too, for tokens as well.
    expect((await consoleLogin(server.url, { token: ADMIN_TOKEN })).status).toBe(429);
    // The window passes.
    clock.offsetMs += 5 * 60_000 + 1;
    expect((await consoleLogin(server.url, { name: 'tam', password: PASSWORD })).status).toBe(200);
  });

  it('a successful login gives its attempt back', async () => {
    clock.offsetMs += 5 * 60_000 + 1;
    expect((await consoleLogin(server.url, { name: 'tam', password: 'guess a' })).status).toBe(401);
    expect((await consoleLogin(server.url, { name: 'tam', password: 'guess b' })).status).toBe(401);
    expect((await consoleLogin(server.url, { name: 'tam', password: PASSWORD })).status).toBe(200);
    // Two failures counted, the success given back: a third failure is still answered...
    expect((await consoleLogin(server.url, { name: 'tam', password: 'guess c' })).status).toBe(401);
    // ...and only the fourth failure in the window is refused.
    expect((await consoleLogin(server.url, { name: 'tam', password: 'guess d' })).status).toBe(429);
  });

  it('counts per socket address unless told to trust the proxy: a client cannot dodge it with X-Forwarded-For', async () => {
    clock.offsetMs += 5 * 60_000 + 1;
    for (let i = 0; i < 3; i += 1) expect((await consoleLogin(server.url, { token: `guess-${i}` }, { 'x-forwarded-for': `10.0.0.${i}` })).status).toBe(401);
    expect((await consoleLogin(server.url, { token: 'guess-x' }, { 'x-forwarded-for': '10.0.0.99' })).status).toBe(429);

    const proxied = await startTestServer(databaseUrl, { now: clock.now, trustProxy: true, loginThrottle: { limit: 3, windowMs: 5 * 60_000 } });
    try {
      clock.offsetMs += 5 * 60_000 + 1;
      // The proxy appends the address it saw; the first entries are whatever the client sent.
      const via = (client: string) => ({ 'x-forwarded-for': `1.2.3.4, ${client}` });
      for (let i = 0; i < 3; i += 1) expect((await consoleLogin(proxied.url, { token: `guess-${i}` }, via('203.0.113.7'))).status).toBe(401);
      expect((await consoleLogin(proxied.url, { token: ADMIN_TOKEN }, via('203.0.113.7'))).status).toBe(429);
      expect((await consoleLogin(proxied.url, { token: ADMIN_TOKEN }, via('198.51.100.8'))).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});

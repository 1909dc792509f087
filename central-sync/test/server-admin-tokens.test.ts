import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { digest } from '../server/secrets';
import { captureLog } from './helpers/capture-log';
import { ADMIN_TOKEN, api, BACKENDS, enrolGateway, skipBackend, startTestServer, useDatabases, type TestGateway } from './helpers/central';

const dbs = useDatabases();
type Role = 'security' | 'ops' | 'admin';
type Created = { id: number; token: string };

describe.each(BACKENDS)('central admin: API tokens and gateways on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  const log = captureLog();
  const tokens = {} as Record<Role, Created>;
  const secrets: string[] = [ADMIN_TOKEN];

  const create = async (name: string, role: Role, by = ADMIN_TOKEN): Promise<Created> => {
    const r = await api(server.url, 'POST', '/v1/admin/tokens', by, { name, role });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ name, role, id: expect.any(Number) });
    secrets.push(String(r.json.token));
    return { id: Number(r.json.id), token: String(r.json.token) };
  };
  /** Neither a token nor its digest may appear in what we check. */
  const expectNoSecrets = (text: string) => {
    for (const s of secrets) {
      expect(text).not.toContain(s);
      expect(text).not.toContain(digest(s));
    }
  };

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend), { log });
    for (const role of ['security', 'ops', 'admin'] as const) tokens[role] = await create(`${role}-user`, role);
  });
  afterAll(() => server?.close());

  it('lists tokens with id, name, role and times, never the token or its digest', async () => {
    const r = await api(server.url, 'GET', '/v1/admin/tokens', ADMIN_TOKEN);
    expect(r.status).toBe(200);
    const list = r.json.tokens as Array<Record<string, unknown>>;
    expect(list.map((t) => [t.id, t.name, t.role, t.revokedAt])).toEqual([
      [tokens.security.id, 'security-user', 'security', null],
      [tokens.ops.id, 'ops-user', 'ops', null],
      [tokens.admin.id, 'admin-user', 'admin', null],
    ]);
    for (const t of list) {
      expect(Object.keys(t).sort()).toEqual(['createdAt', 'id', 'name', 'revokedAt', 'role']);
      expect(t.createdAt).toEqual(expect.any(Number));
    }
    expectNoSecrets(JSON.stringify(r.json));
    // A token created through the API may list too.
    expect((await api(server.url, 'GET', '/v1/admin/tokens', tokens.admin.token)).status).toBe(200);
  });

  it('refuses a revoked token at once with 401, keeps the others and the first revocation time', async () => {
    const victim = await create('leaving-guard', 'security');
    expect((await api(server.url, 'GET', '/v1/events', victim.token)).status).toBe(200);
    const revoked = await api(server.url, 'POST', `/v1/admin/tokens/${victim.id}/revoke`, tokens.admin.token);
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ id: victim.id, name: 'leaving-guard', role: 'security', revokedAt: expect.any(Number) });
    expectNoSecrets(JSON.stringify(revoked.json));
    const refused = await api(server.url, 'GET', '/v1/events', victim.token);
    expect(refused).toMatchObject({ status: 401, json: { field: 'authorization' } });
    expect((await api(server.url, 'GET', '/v1/events', tokens.security.token)).status).toBe(200);

    const again = await api(server.url, 'POST', `/v1/admin/tokens/${victim.id}/revoke`, ADMIN_TOKEN);
    expect(again).toMatchObject({ status: 200, json: { revokedAt: revoked.json.revokedAt } });
    const listed = ((await api(server.url, 'GET', '/v1/admin/tokens', ADMIN_TOKEN)).json.tokens as Array<Record<string, unknown>>).find((t) => t.id === victim.id);
    expect(listed).toMatchObject({ revokedAt: revoked.json.revokedAt });

    // An admin token can revoke itself; its next request is refused.
    const self = await create('temp-admin', 'admin');
    expect((await api(server.url, 'POST', `/v1/admin/tokens/${self.id}/revoke`, self.token)).status).toBe(200);
    expect((await api(server.url, 'GET', '/v1/admin/tokens', self.token)).status).toBe(401);

    const line = log.find('API token revoked').find((l) => l.fields.tokenId === victim.id)!;
    expect(line).toMatchObject({ level: 'warn', fields: { by: 'admin-user', byTokenId: tokens.admin.id, tokenName: 'leaving-guard', role: 'security' } });
    expectNoSecrets(JSON.stringify(log.lines));
  });

  it('answers 404 for an unknown token id and 400 naming the field for a bad one', async () => {
    expect(await api(server.url, 'POST', '/v1/admin/tokens/999999/revoke', ADMIN_TOKEN)).toMatchObject({ status: 404, json: { field: 'id' } });
    for (const bad of ['abc', '0', '1.5', '12345678901234567']) {
      const r = await api(server.url, 'POST', `/v1/admin/tokens/${bad}/revoke`, ADMIN_TOKEN);
      expect(r.status, bad).toBe(400);
      expect(r.json.field, bad).toBe('id');
    }
    expect(await api(server.url, 'GET', '/v1/admin/tokens?role=ops', ADMIN_TOKEN)).toMatchObject({ status: 400, json: { field: 'role' } });
    expect(await api(server.url, 'GET', '/v1/admin/gateways?x=1', ADMIN_TOKEN)).toMatchObject({ status: 400, json: { field: 'x' } });
  });

  it('lists gateways with site, name and times, never their secret', async () => {
    const gws: TestGateway[] = [await enrolGateway(server.url, 'site-north'), await enrolGateway(server.url, 'site-south')];
    expect((await api(server.url, 'POST', `/v1/admin/gateways/${gws[1]!.id}/revoke`, ADMIN_TOKEN)).status).toBe(200);
    const r = await api(server.url, 'GET', '/v1/admin/gateways', tokens.admin.token);
    expect(r.status).toBe(200);
    const list = r.json.gateways as Array<Record<string, unknown>>;
    expect(list).toEqual([
      { id: gws[0]!.id, siteId: 'site-north', siteName: 'Site site-north', name: 'gw at site-north', createdAt: expect.any(Number), revokedAt: null },
      { id: gws[1]!.id, siteId: 'site-south', siteName: 'Site site-south', name: 'gw at site-south', createdAt: expect.any(Number), revokedAt: expect.any(Number) },
    ]);
    const text = JSON.stringify(r.json);
    for (const g of gws) expect(text).not.toContain(g.secret);
    expect(text).not.toMatch(/secret/i);
  });

  it('lets only admins in: 403 for security and ops, 401 without a token', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/v1/admin/tokens'],
      ['POST', `/v1/admin/tokens/${tokens.ops.id}/revoke`],
      ['GET', '/v1/admin/gateways'],
    ];
    for (const [method, path] of routes) {
      for (const role of ['security', 'ops'] as const) {
        const r = await api(server.url, method, path, tokens[role].token);
        expect(r.status, `${role} ${method} ${path}`).toBe(403);
        expect(r.json.error).toMatch(new RegExp(`role ${role} may not`));
      }
      expect((await api(server.url, method, path, undefined)).status).toBe(401);
    }
    // The refused revocation changed nothing.
    expect((await api(server.url, 'GET', '/v1/fleet', tokens.ops.token)).status).toBe(200);
  });
});

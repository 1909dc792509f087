import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthApi, type AuthApi } from './auth-harness';

const dir = mkdtempSync(join(tmpdir(), 'gw-redirects-'));
let api: AuthApi;
beforeAll(async () => {
  api = await startAuthApi(join(dir, 'redirects.sqlite'), []);
});
afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Where a browser goes from /ui/lang?next=<raw> (the Location resolved as browsers do: tabs and newlines dropped, `\` read as `/`). */
async function langRedirect(rawNext: string): Promise<{ location: string; target: URL }> {
  const res = await fetch(`${api.base}/ui/lang?to=en&next=${rawNext}`, { redirect: 'manual' });
  expect(res.status).toBe(303);
  const location = res.headers.get('location') ?? '';
  return { location, target: new URL(location, api.base) };
}

describe('/ui/lang redirects only within the gateway', () => {
  it.each([
    '/%09/evil.example',
    '/%0A/evil.example',
    '/%0D%0A/evil.example',
    '%09//evil.example',
    '//evil.example',
    '/%5Cevil.example',
    '/%5C%5Cevil.example',
    '%5C%5Cevil.example',
    '/%2Fevil.example',
    'https://evil.example/',
    'http:%2F%2Fevil.example',
    '/%00/evil.example',
    '/..//evil.example',
    '/.//evil.example',
    '/a/../..//evil.example',
  ])('next=%s goes to the gateway home', async (rawNext) => {
    const { location, target } = await langRedirect(rawNext);
    expect(target.origin).toBe(api.base);
    expect(location).toBe('/');
  });

  it('keeps a path on the gateway with its query', async () => {
    const { location } = await langRedirect(encodeURIComponent('/events?type=loitering&severity=high'));
    expect(location).toBe('/events?type=loitering&severity=high');
  });
});

describe('/ui/vendor serves only the listed browser builds', () => {
  it('answers 404, not 500, for names of Object.prototype members', async () => {
    expect((await fetch(`${api.base}/ui/vendor/uplot.js`)).status).toBe(200);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'other.js']) expect((await fetch(`${api.base}/ui/vendor/${name}`)).status, name).toBe(404);
  });
});

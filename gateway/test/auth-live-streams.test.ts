import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../test-helpers/processes';
import { loginCookie, startAuthApi, withCookie, type AuthApi } from './auth-harness';

const dir = mkdtempSync(join(tmpdir(), 'gw-live-streams-'));
const ADMIN = 'live-admin-token-0123456789abcdefgh';
const PER_USER = 2;
const TOTAL = 3;
let api: AuthApi;

beforeAll(async () => {
  api = await startAuthApi(join(dir, 'live.sqlite'), [{ name: 'admin', role: 'admin', token: ADMIN }]);
});
afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const asAdmin = (path: string, method = 'GET', body?: unknown) =>
  fetch(`${api.base}${path}`, { method, headers: { ...bearer(ADMIN), 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

/** An open /api/live stream: the text so far, whether the server ended it, and a way to leave. */
interface Feed {
  text: () => string;
  ended: () => boolean;
  cancel: () => Promise<void>;
}

async function openFeed(headers: Record<string, string>): Promise<Feed> {
  const res = await fetch(`${api.base}/api/live`, { headers });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      text += decoder.decode(value);
    }
    ended = true;
  })();
  expect(await waitFor(() => text.includes('event: counts'), 3000, 10)).toBe(true);
  return { text: () => text, ended: () => ended, cancel: () => reader.cancel().catch(() => undefined) };
}

async function runtimeUser(name: string, role: string): Promise<string> {
  const res = await asAdmin('/api/users', 'POST', { name, role });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const publish = (uid: string, type: string) => api.liveEvents.publish({ uid, cameraId: 'cam1', type, severity: 'high', at: Date.now() });

describe('live feed streams end with their access', () => {
  it('closes the stream of a user who is deleted, who then receives no further events', async () => {
    const token = await runtimeUser('guard.del', 'security');
    const feed = await openFeed(bearer(token));
    publish('before-delete', 'watchlist_match');
    expect(await waitFor(() => feed.text().includes('before-delete'), 3000, 10)).toBe(true);
    expect((await asAdmin('/api/users/guard.del', 'DELETE')).status).toBe(200);
    publish('after-delete', 'watchlist_match');
    expect(await waitFor(feed.ended, 3000, 10)).toBe(true);
    expect(feed.text()).not.toContain('after-delete');
    await feed.cancel();
  });

  it('closes the stream of a dashboard session at logout, at once', async () => {
    const cookie = await loginCookie(api.base, { token: await runtimeUser('guard.session', 'security') });
    const feed = await openFeed({ cookie });
    expect((await withCookie(api.base, cookie, '/api/logout', { method: 'POST' })).status).toBe(200);
    publish('after-logout', 'watchlist_match');
    expect(await waitFor(feed.ended, 3000, 10)).toBe(true);
    expect(feed.text()).not.toContain('after-logout');
  });

  it('applies the role the user has now: a security user demoted to supervisor sees only supervisor events', async () => {
    const token = await runtimeUser('guard.demoted', 'security');
    const feed = await openFeed(bearer(token));
    api.db.prepare("UPDATE users SET role = 'supervisor' WHERE name = 'guard.demoted'").run();
    publish('face-after-demotion', 'watchlist_match');
    publish('queue-after-demotion', 'queue_long');
    expect(await waitFor(() => feed.text().includes('queue-after-demotion'), 3000, 10)).toBe(true);
    expect(feed.text()).not.toContain('face-after-demotion');
    await feed.cancel();
  });
});

describe('live feed stream caps', () => {
  it(`refuses a user's stream beyond ${PER_USER} and anyone's beyond ${TOTAL} with 429, and frees a place when a stream ends`, async () => {
    const [ops1, ops2] = [await runtimeUser('ops.one', 'ops'), await runtimeUser('ops.two', 'ops')];
    const capped = await startAuthApi(join(dir, 'live.sqlite'), [{ name: 'admin', role: 'admin', token: ADMIN }], { liveStreams: { perUser: PER_USER, total: TOTAL } });
    const open = (token: string) => fetch(`${capped.base}/api/live`, { headers: bearer(token) });
    const refusal = async (res: Response) => {
      if (res.status !== 429) {
        await res.body?.cancel();
        return { status: res.status };
      }
      return { status: res.status, error: ((await res.json()) as { error: string }).error };
    };
    try {
      const first = await open(ops1);
      const second = await open(ops1);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(await refusal(await open(ops1))).toEqual({ status: 429, error: 'at most 2 live streams per user; close one first' });
      const other = await open(ops2);
      expect(other.status).toBe(200);
      expect(await refusal(await open(ops2))).toEqual({ status: 429, error: 'at most 3 live streams at once; try again later' });
      // The server notices a client that left at its next write (counts every 100 ms here) and frees the place.
      await first.body!.cancel();
      let again: Response | undefined;
      for (let i = 0; i < 50 && again?.status !== 200; i++) {
        if (again) await sleep(100);
        again = await open(ops2);
      }
      expect(again?.status).toBe(200);
      for (const res of [second, other, again!]) await res.body!.cancel();
    } finally {
      await capped.stop();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../test-helpers/processes';
import { LoginThrottle } from '../api/login-throttle';
import { postLogin, startAuthApi, type AuthApi } from './auth-harness';

const dir = mkdtempSync(join(tmpdir(), 'gw-login-throttle-'));
const ADMIN_TOKEN = 'throttle-admin-token-0123456789abcdef';
const LIMIT = 10; // the API's failed logins per address and minute
let api: AuthApi;

beforeAll(async () => {
  api = await startAuthApi(join(dir, 'throttle.sqlite'), [{ name: 'admin', role: 'admin', token: ADMIN_TOKEN }]);
  await api.users.create('clerk', 'supervisor', Date.now(), 'the right password');
});
afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Time until /health answers, in ms. */
async function healthMs(): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${api.base}/health`);
  expect(res.status).toBe(200);
  return performance.now() - started;
}

describe('login throttle', () => {
  it('successful logins are not counted against the address', async () => {
    for (let i = 0; i < LIMIT + 5; i++) expect((await postLogin(api.base, { token: ADMIN_TOKEN })).status).toBe(200);
  });

  it('counts 60 parallel wrong guesses before verifying them: at most 10 verified, the rest 429, the right password refused once blocked, /health answering meanwhile', async () => {
    const idle = await healthMs();
    // The attack: 60 connections send their headers first and their bodies together, so every
    // request is in the server before any has been verified.
    const guesses = Array.from({ length: 59 }, (_, i) => heldLogin({ name: 'clerk', password: `guess number ${i}` }));
    await sleep(500);
    const right = heldLogin({ name: 'clerk', password: 'the right password' });
    await sleep(200);
    for (const g of [...guesses, right]) g.sendBody();
    const all = Promise.all([...guesses, right].map((g) => g.status));
    const health: number[] = [];
    let pending = true;
    void all.finally(() => (pending = false));
    while (pending) health.push(await healthMs());

    const statuses = (await all).slice(0, 59);
    const count = (status: number) => statuses.filter((s) => s === status).length;
    console.info(`59 wrong guesses and the right password in parallel: ${count(401)} x 401, ${count(429)} x 429, right password ${await right.status}; /health idle ${idle.toFixed(0)} ms, during the burst max ${Math.max(...health).toFixed(0)} ms over ${health.length} calls`);
    expect(count(401) + count(429)).toBe(59);
    expect(count(401)).toBeLessThanOrEqual(LIMIT);
    expect(count(429)).toBeGreaterThanOrEqual(59 - LIMIT);
    expect(await right.status).toBe(429);
    expect(Math.max(...health)).toBeLessThan(500);
  });
});

/** A login over a raw connection: headers now, the body when told (the status when answered, even before the body). */
function heldLogin(body: object): { sendBody: () => void; status: Promise<number> } {
  const json = JSON.stringify(body);
  const { port } = new URL(api.base);
  const socket = connect({ host: '127.0.0.1', port: Number(port) });
  socket.on('error', () => undefined); // a refused request may be closed before its body is written
  socket.write(`POST /api/login HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\norigin: ${api.base}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(json)}\r\nconnection: close\r\n\r\n`);
  let head = '';
  const status = new Promise<number>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m) resolve(Number(m[1]));
    });
    socket.on('close', () => reject(new Error(`connection closed without an answer: ${head.slice(0, 80)}`)));
  });
  return { sendBody: () => void (socket.writable && socket.write(json)), status };
}

describe('login throttle table bound', () => {
  it('stays bounded when 10,050 other addresses fail, and forgets no blocked address', async () => {
    const fresh = await startAuthApi(join(dir, 'bound.sqlite'), []);
    // The peer address as @hono/node-server hands it over (the HTTP test above uses the real one).
    const from = (address: string) =>
      fresh.app.fetch(
        new Request(`${fresh.base}/api/login`, { method: 'POST', headers: { origin: fresh.base, 'content-type': 'application/json' }, body: JSON.stringify({ token: 'wrong-token-0123456789' }) }),
        { incoming: { socket: { remoteAddress: address } } },
      );
    try {
      for (let i = 0; i < LIMIT; i++) expect((await from('203.0.113.66')).status).toBe(401);
      expect((await from('203.0.113.66')).status).toBe(429);
      for (let i = 0; i < 10_050; i++) expect((await from(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)).status).toBe(401);
      expect((await from('203.0.113.66')).status).toBe(429);
    } finally {
      await fresh.stop();
    }
  });

  it('keeps at most maxTracked addresses besides blocked ones, least recently active first out', () => {
    const throttle = new LoginThrottle(3, 60_000, 100);
    for (const blocked of ['a', 'b']) for (let i = 0; i < 3; i++) expect(throttle.reserve(blocked, 1000)).toBe(true);
    for (let i = 0; i < 1000; i++) throttle.reserve(`other-${i}`, 2000 + i);
    expect(throttle.tracked).toBeLessThanOrEqual(100);
    expect(throttle.blocked('a', 3000) && throttle.blocked('b', 3000)).toBe(true);
    expect(throttle.blocked('a', 61_001)).toBe(false);
    expect(throttle.reserve('other-999', 3000)).toBe(true);
  });
});

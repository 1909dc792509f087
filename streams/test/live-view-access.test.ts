import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../test-helpers/processes';
import { parseCameraSource } from '../camera';
import { ACCESS_ENDED, LiveViewHub } from '../live';

// Who may watch, changed by the tests: the viewer's name comes in the `x-viewer` header.
const allowed = new Set<string>();
/** Viewers whose socket opened (the gateway audits each). */
const admissions: string[] = [];
const camera = parseCameraSource({ id: 'door', url: 'rtsp://127.0.0.1:9/none' });
let server: Server;
let hub: LiveViewHub;
let base: string;

beforeAll(async () => {
  hub = new LiveViewHub((id) => (id === 'door' ? camera : undefined), { recheckMs: 200, maxViewersPerUser: 2, maxViewers: 3, width: 160 }, (req) => {
    const user = String(req.headers['x-viewer']);
    return allowed.has(user) ? { user, stillAllowed: () => allowed.has(user), admitted: () => admissions.push(user) } : undefined;
  });
  server = createServer((_req, res) => res.writeHead(404).end());
  hub.attachTo(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/live/door`;
});
afterAll(async () => {
  await hub?.close();
  server?.close();
});

interface Watching {
  ws: WebSocket;
  closedWith: () => number | undefined;
}

async function watch(user: string): Promise<Watching> {
  const ws = new WebSocket(base, { headers: { 'x-viewer': user } });
  let code: number | undefined;
  ws.on('close', (c) => (code = c));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closedWith: () => code };
}

const refusal = (user: string) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(base, { headers: { 'x-viewer': user } });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('error', (err) => resolve(err.message));
  });

describe('live view access', () => {
  it('revalidate() disconnects at once, with 1008, exactly the viewers no longer allowed', async () => {
    allowed.add('ana').add('binh');
    const ana = await watch('ana');
    const binh = await watch('binh');
    allowed.delete('ana');
    hub.revalidate();
    expect(await waitFor(() => ana.closedWith() !== undefined, 1000, 10)).toBe(true);
    expect(ana.closedWith()).toBe(ACCESS_ENDED);
    expect(binh.ws.readyState).toBe(WebSocket.OPEN);
    binh.ws.close();
    expect(await waitFor(() => hub.relaysInfo().length === 0, 5000)).toBe(true);
  });

  it('re-checks every viewer periodically without being told', async () => {
    allowed.add('chi');
    const chi = await watch('chi');
    allowed.delete('chi');
    expect(await waitFor(() => chi.closedWith() === ACCESS_ENDED, 3000, 10)).toBe(true);
  });

  it('refuses a user beyond 2 sockets and anyone beyond 3 with 429, and admits (audits) only the sockets that opened', async () => {
    allowed.add('dung').add('em');
    const mine = [await watch('dung'), await watch('dung')];
    expect(await refusal('dung')).toMatch(/429/);
    const other = await watch('em');
    expect(await refusal('em')).toMatch(/429/);
    expect(await refusal('nobody')).toMatch(/403/);
    expect(admissions.filter((u) => u === 'dung' || u === 'em')).toEqual(['dung', 'dung', 'em']);
    for (const w of [...mine, other]) w.ws.close();
    expect(await waitFor(() => hub.relaysInfo().length === 0, 5000)).toBe(true);
    expect(await refusal('em')).toBe('open');
  });
});

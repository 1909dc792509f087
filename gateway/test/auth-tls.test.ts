import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../test-helpers/processes';
import { opensslAvailable, selfSignedCert } from '../../test-helpers/tls';
import { CameraSimulator } from '../../streams';
import { ConfigError, parseConfig, readTlsFiles, type GatewayConfigInput } from '../config';
import { GatewayService } from '../service';

const dir = mkdtempSync(join(tmpdir(), 'gw-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TOKEN = 'tls-security-token-0123456789abcdef';

const hasOpenssl = opensslAvailable('gateway TLS (openssl)');
const selfSigned = (name: string) => selfSignedCert(dir, name, 'gateway.test');

/** An HTTPS request trusting only `ca`: status, headers and body. */
function httpsCall(url: string, ca: Buffer, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const config = (tls: { certPath: string; keyPath: string }, cameraUrl: string, dataDir: string): GatewayConfigInput => ({
  site: { id: 'tls', name: 'TLS test site' },
  cameras: [{ id: 'hall', url: cameraUrl, detectFps: 1 }],
  users: [{ name: 'guard1', role: 'security', token: TOKEN }],
  storage: { dataDir },
  api: { host: '127.0.0.1', port: 0, tls },
});

const configErrorOf = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe.skipIf(!hasOpenssl)('gateway API over TLS (api.tls)', () => {
  let sim: CameraSimulator;
  let gateway: GatewayService;
  let ca: Buffer;
  beforeAll(async () => {
    const tls = selfSigned('gateway');
    ca = readFileSync(tls.certPath);
    sim = await CameraSimulator.start({ cameras: [{ name: 'hall' }] });
    gateway = await GatewayService.start(parseConfig(config(tls, sim.url('hall'), join(dir, 'data')), {}), pino({ level: 'warn' }));
  });
  afterAll(async () => {
    await gateway?.stop();
    await sim?.stop();
  });

  it('serves /health over HTTPS, sets a Secure session cookie, and streams the live view over wss', async () => {
    expect(gateway.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpsCall(`${gateway.url}/health`, ca);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });

    const login = await httpsCall(`${gateway.url}/api/login`, ca, { method: 'POST', headers: { origin: gateway.url, 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
    expect(login.status).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/gw_session=[^;]+;.*Secure/);
    const cookie = /gw_session=[^;]+/.exec(setCookie)![0];

    const ws = new WebSocket(`${gateway.url.replace(/^https/, 'wss')}/ws/live/hall`, { ca, headers: { cookie }, origin: gateway.url });
    const chunks: Buffer[] = [];
    ws.on('message', (data: Buffer) => chunks.push(data));
    expect(await waitFor(() => Buffer.concat(chunks).length > 20_000, 20_000)).toBe(true);
    expect(Buffer.concat(chunks)[0]).toBe(0x47); // MPEG-TS sync byte
    ws.close();
  });

  it('does not answer plain HTTP on the TLS port', async () => {
    const plain = await fetch(gateway.url.replace(/^https/, 'http') + '/health').then(
      (res) => `status ${res.status}`,
      (err: Error) => `failed: ${err.message}`,
    );
    expect(plain).not.toBe('status 200');
  });
});

describe.skipIf(!hasOpenssl)('api.tls configuration errors', () => {
  it('names the field of a missing or unreadable file, and a certificate that does not match its key', () => {
    const good = selfSigned('good');
    const other = selfSigned('other');
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    const cases: Array<[{ certPath: string; keyPath: string }, string, RegExp]> = [
      [{ ...good, certPath: join(dir, 'missing.crt') }, 'api.tls.certPath', /^api\.tls\.certPath: cannot read .*missing\.crt: ENOENT$/],
      [{ ...good, keyPath: folder }, 'api.tls.keyPath', /^api\.tls\.keyPath: cannot read .*a-folder: EISDIR$/],
      [{ ...good, keyPath: other.keyPath }, 'api.tls', /^api\.tls: .* are not a usable certificate and private key/],
      [{ ...good, certPath: garbage }, 'api.tls', /^api\.tls: .* are not a usable certificate and private key/],
    ];
    for (const [tls, path, message] of cases) {
      const err = configErrorOf(() => readTlsFiles(parseConfig(config(tls, 'rtsp://127.0.0.1:9/none', join(dir, 'unused')), {}).api.tls));
      expect(err.path).toBe(path);
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain('PRIVATE KEY');
    }
  });

  it('stops the gateway from starting, before it opens anything', async () => {
    const dataDir = join(dir, 'never-started');
    const cfg = parseConfig(config({ ...selfSigned('start'), certPath: join(dir, 'gone.crt') }, 'rtsp://127.0.0.1:9/none', dataDir), {});
    await expect(GatewayService.start(cfg, pino({ level: 'silent' }))).rejects.toThrow(/^api\.tls\.certPath: cannot read/);
    expect(() => readFileSync(join(dataDir, 'gateway.sqlite'))).toThrow(/ENOENT/);
  });
});

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-helpers/processes';
import { createTransport, readCredentials, Uplink, type UplinkLogger, type UplinkOptions } from '../client';
import { FakeCentral, type FakeGateway } from './client-fake-central';
import { event, MemoryOutbox } from './client-memory-outbox';
import { opensslAvailable, selfSignedCert } from '../../test-helpers/tls';

const dir = mkdtempSync(join(tmpdir(), 'client-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TOKEN = `enrol-${randomBytes(16).toString('hex')}`;
const issued = (): FakeGateway => ({ gatewayId: `gw-${randomBytes(4).toString('hex')}`, secret: randomBytes(32).toString('hex'), siteId: 'site-7' });
const fast = { batchRecords: 50, timeoutMs: 2000, heartbeatMs: 60_000, idleMs: 10, backoff: { baseMs: 20, capMs: 200, minMs: 5 } } satisfies Partial<UplinkOptions>;

function textLog(lines: string[]): UplinkLogger {
  const at = (level: string) => (obj: object, msg: string) => void lines.push(`${level} ${msg} ${JSON.stringify(obj)}`);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function start(options: UplinkOptions): Uplink {
  const uplink = new Uplink(options);
  cleanups.push(() => uplink.stop());
  uplink.start();
  return uplink;
}

describe('uplink credentials', () => {
  it('enrols once with the token, writes the credentials 0600, and later starts read them and never enrol again', async () => {
    const gateway = issued();
    const central = await FakeCentral.start({ tokens: { [TOKEN]: gateway } });
    cleanups.push(() => central.stop());
    const file = join(dir, 'enrol', 'nested', 'central-credentials.json');
    const logs: string[] = [];
    const outbox = new MemoryOutbox();
    outbox.add('event', 1, event('low'));
    const first = start({ ...fast, url: central.url, source: outbox, credentials: { credentialsFile: file, enrolmentToken: TOKEN, gatewayName: 'Site 7' }, log: textLog(logs) });
    expect(await waitFor(() => outbox.rows.length === 0, 5000, 10)).toBe(true);
    expect(central.enrolments).toBe(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ gatewayId: gateway.gatewayId, secret: gateway.secret, siteId: 'site-7', url: central.url });
    expect(first.status()).toMatchObject({ gatewayId: gateway.gatewayId, state: 'running' });
    await first.stop();

    outbox.add('event', 1, event('low'));
    start({ ...fast, url: central.url, source: outbox, credentials: { credentialsFile: file, enrolmentToken: TOKEN }, log: textLog(logs) });
    expect(await waitFor(() => outbox.rows.length === 0, 5000, 10)).toBe(true);
    expect(central.enrolments).toBe(1);
    expect(central.arrivals).toHaveLength(2);
    expect(logs.some((l) => l.includes('enrolled with the central server'))).toBe(true);
    const everything = logs.join('\n');
    expect(everything).not.toContain(gateway.secret);
    expect(everything).not.toContain(TOKEN);
  });

  it('without a file and with a refused token, keeps retrying and shows why; without either, says what is missing', async () => {
    const central = await FakeCentral.start();
    cleanups.push(() => central.stop());
    const outbox = new MemoryOutbox();
    const refused = start({ ...fast, url: central.url, source: outbox, credentials: { credentialsFile: join(dir, 'refused.json'), enrolmentToken: 'not-a-token-anyone-issued' }, log: textLog([]) });
    expect(await waitFor(() => /enrolment answered 401: unknown or used enrolment token/.test(refused.status().lastError ?? ''), 3000, 10)).toBe(true);
    expect(refused.status().state).toBe('enrolling');
    expect(existsSync(join(dir, 'refused.json'))).toBe(false);
    const missing = start({ ...fast, url: central.url, source: outbox, credentials: { credentialsFile: join(dir, 'missing.json') }, log: textLog([]) });
    expect(await waitFor(() => /no credentials file .*missing\.json and no enrolment token/.test(missing.status().lastError ?? ''), 3000, 10)).toBe(true);
  });

  it('tightens a credentials file readable by others to 0600', () => {
    const file = join(dir, 'loose.json');
    writeFileSync(file, JSON.stringify({ gatewayId: 'g', secret: 's'.repeat(64), siteId: 'x', url: 'https://central' }));
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    expect(readCredentials(file, textLog(warnings))?.gatewayId).toBe('g');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings.join()).toMatch(/readable by others/);
  });
});

const hasOpenssl = opensslAvailable('private CA (openssl)');

describe.skipIf(!hasOpenssl)('uplink with a private CA', () => {
  it('trusts the CA in caFile (and only it) for an https central server', async () => {
    const { certPath: cert, keyPath: key } = selfSignedCert(dir, 'central', 'central.test');
    const gateway = issued();
    const central = await FakeCentral.start({ gateways: [gateway], tls: { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') } });
    cleanups.push(() => central.stop());
    const credentials = { ...gateway, url: central.url };

    const untrusted = new MemoryOutbox();
    untrusted.add('event', 1, event('low'));
    const plain = start({ ...fast, url: central.url, source: untrusted, credentials, log: textLog([]) });
    expect(await waitFor(() => /fetch failed|certificate/i.test(plain.status().lastError ?? ''), 3000, 10)).toBe(true);
    await plain.stop();

    const trusted = new MemoryOutbox();
    trusted.add('event', 1, event('low'));
    start({ ...fast, url: central.url, source: trusted, credentials, transport: createTransport({ caFile: cert }), log: textLog([]) });
    expect(await waitFor(() => trusted.rows.length === 0, 5000, 10)).toBe(true);
    expect(central.arrivals).toHaveLength(1);
    expect(untrusted.rows).toHaveLength(1);
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../test-helpers/processes';
import { FakeCentral, type FakeGateway } from '../../central-sync/test/client-fake-central';
import { parseConfig } from '../config';
import { GatewayService } from '../service';
import { openDatabase } from '../store';

const dir = mkdtempSync(join(tmpdir(), 'gw-sync-service-'));
const ADMIN = `sync-admin-token-${randomBytes(8).toString('hex')}`;
const TOKEN = `enrol-${randomBytes(16).toString('hex')}`;
const issued: FakeGateway = { gatewayId: 'gw-service', secret: randomBytes(32).toString('hex'), siteId: 'site-svc' };
const credentialsFile = join(dir, 'secrets', 'central.json');
const logLines: string[] = [];
let central: FakeCentral;
let gateway: GatewayService | undefined;

const config = () =>
  parseConfig({
    site: { id: 'site-svc', name: 'Sync service site' },
    // Nothing listens there: the camera goes starting -> reconnecting, which must reach the centre.
    cameras: [{ id: 'door', url: 'rtsp://127.0.0.1:9/none' }],
    users: [{ name: 'admin', role: 'admin', token: ADMIN }],
    storage: { dataDir: dir },
    api: { host: '127.0.0.1', port: 0 },
    sync: { url: central.url, enrolmentToken: TOKEN, credentialsFile, heartbeatSeconds: 5 },
  });

const logger = () =>
  pino(
    { level: 'debug', redact: { paths: ['token', '*.token', 'url', '*.url'], censor: '[redacted]' } },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );

beforeAll(async () => {
  central = await FakeCentral.start({ tokens: { [TOKEN]: issued } });
});
afterAll(async () => {
  await gateway?.stop();
  await central?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('gateway service with central sync', () => {
  it('enrols, sends camera health and heartbeats, reports GET /api/sync, and keeps unsent records across a stop', async () => {
    gateway = await GatewayService.start(config(), logger());
    expect(await waitFor(() => central.arrivals.some((r) => r.kind === 'camera_health' && r.payload.state === 'reconnecting'), 20_000)).toBe(true);
    const health = central.arrivals.filter((r) => r.kind === 'camera_health');
    expect(health[0]).toMatchObject({ payload: { cameraId: 'door', state: 'starting', reason: null } });
    expect(health.find((r) => r.payload.state === 'reconnecting')?.payload).toMatchObject({ cameraId: 'door', reason: 'connection_refused' });
    expect(await waitFor(() => central.heartbeats.length > 0, 5000)).toBe(true);
    expect(central.heartbeats[0]!.cameras).toEqual([expect.objectContaining({ id: 'door' })]);
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(central.enrolments).toBe(1);

    const res = await fetch(`${gateway.url}/api/sync`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: true, connected: true, gatewayId: 'gw-service', deadLettered: 0 });

    // The centre stops answering; what the camera reports meanwhile stays in the outbox through a stop.
    central.ingestStatus = 503;
    const delivered = central.arrivals.length;
    await sleep(500);
    await gateway.stop();
    gateway = undefined;
    const db = openDatabase(join(dir, 'gateway.sqlite'));
    const waiting = db.prepare("SELECT count(*) FROM sync_outbox WHERE kind = 'camera_health'").pluck().get() as number;
    db.close();
    expect(waiting).toBeGreaterThan(0);

    central.ingestStatus = undefined;
    gateway = await GatewayService.start(config(), logger());
    expect(await waitFor(() => central.arrivals.length >= delivered + waiting, 10_000)).toBe(true);
    expect(central.enrolments).toBe(1);
    expect(new Set(central.arrivals.map((r) => r.seq)).size).toBe(central.arrivals.length);

    const everything = logLines.join('');
    expect(everything).toContain('enrolled with the central server');
    expect(everything).not.toContain(issued.secret);
    expect(everything).not.toContain(TOKEN);
    expect(readFileSync(credentialsFile, 'utf8')).toContain(issued.secret);
  });
});

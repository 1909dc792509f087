import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../../central-sync/server';
import { ADMIN_TOKEN, api, createEnrolmentToken, startTestServer, useDatabases } from '../../central-sync/test/helpers/central';
import { PerfSummarySchema } from '../../central-sync/wire';
import { parseConfig } from '../config';
import { GatewayService } from '../service';

const dir = mkdtempSync(join(tmpdir(), 'gw-sync-perf-service-'));
const dbs = useDatabases();
let central: CentralServer | undefined;
let gateway: GatewayService | undefined;
afterAll(async () => {
  await gateway?.stop();
  await central?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a real gateway and a real central', () => {
  it("carries the device's performance summary in its heartbeat, answered on /v1/throughput", async () => {
    central = await startTestServer(await dbs.fresh('sqlite'));
    const config = parseConfig({
      site: { id: 'perf-svc', name: 'Perf service site' },
      // Nothing listens there: configured, never streaming.
      cameras: [{ id: 'door', url: 'rtsp://127.0.0.1:9/none' }],
      users: [{ name: 'admin', role: 'admin', token: `perf-admin-${randomBytes(8).toString('hex')}` }],
      storage: { dataDir: dir },
      api: { host: '127.0.0.1', port: 0 },
      sync: { url: central.url, enrolmentToken: await createEnrolmentToken(central.url, 'perf-svc'), credentialsFile: join(dir, 'central.json'), heartbeatSeconds: 5 },
    });
    gateway = await GatewayService.start(config, pino({ level: 'silent' }));
    let device: { perf: unknown; headroom: number | null; camerasSustained: number | null } | undefined;
    const until = Date.now() + 20_000;
    while (!device?.perf && Date.now() < until) {
      const id = gateway.sync.status().gatewayId;
      if (id) device = ((await api(central.url, 'GET', `/v1/throughput?gateway=${id}`, ADMIN_TOKEN)).json.devices as Array<typeof device>)[0];
      if (!device?.perf) await new Promise((r) => setTimeout(r, 100));
    }
    const perf = PerfSummarySchema.parse(device?.perf);
    expect(perf.device).toMatchObject({ cores: cpus().length, provider: 'cpu' });
    expect(perf.device.memoryMiB).toBeGreaterThan(256);
    expect(perf.cameras).toEqual({ configured: 1, streaming: 0 });
    expect(perf).toMatchObject({ targetFps: 0, efficiency: null, detectionsPerSec: 0 });
    expect(perf.rssMiB).toBeGreaterThan(50);
    expect(perf.cpu).toBeGreaterThanOrEqual(0);
    // The repository's newest combined bench report (benchmarks/results), when it names a sustained figure.
    const sustained = perf.bench?.camerasSustained ?? null;
    expect(sustained === null || sustained >= 1).toBe(true);
    expect(device).toMatchObject({ camerasSustained: sustained, headroom: sustained });
  });
});

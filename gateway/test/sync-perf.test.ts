import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-helpers/processes';
import type { CentralServer } from '../../central-sync/server';
import { ADMIN_TOKEN, api, createEnrolmentToken, startTestServer, useDatabases } from '../../central-sync/test/helpers/central';
import { PerfSummarySchema } from '../../central-sync/wire';
import { parseConfig } from '../config';
import type { InferencePool } from '../inference/pool';
import type { CameraPipeline } from '../pipeline/camera-pipeline';
import { openDatabase } from '../store';
import { benchHeadline, DEFAULT_BENCHMARKS_DIR, GatewaySync, PerfSampler, type PerfPipeline, type PerfPool } from '../sync';

// The gateway's own parts are what the sampler reads (checked by the compiler).
const pipelineFits = (p: CameraPipeline): PerfPipeline => p;
const poolFits = (p: InferencePool): PerfPool => p;
void pipelineFits;
void poolFits;

const dir = mkdtempSync(join(tmpdir(), 'gw-sync-perf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dbs = useDatabases();

/** A camera pipeline's counters, moved by the test. */
class Camera implements PerfPipeline {
  detectedFrames = 0;
  motionSkipped = 0;
  state = 'streaming';
  constructor(readonly camera: { id: string; detectFps: number }) {}
  live() {
    return { camera: { state: this.state }, detectedFrames: this.detectedFrames, motionSkipped: this.motionSkipped };
  }
}

function report(folder: string, file: string, date: string, headline: Array<{ label: string; value: unknown }>): void {
  writeFileSync(join(folder, file), JSON.stringify({ schema: 1, date, opsSummary: { headline, tables: [] } }));
}

describe('the heartbeat performance summary', () => {
  it('rates frames over the interval since the last summary, counts streaming cameras and their asked-for rate, and reads the pool', () => {
    let now = 1_000_000;
    const cams = [new Camera({ id: 'a', detectFps: 5 }), new Camera({ id: 'b', detectFps: 5 }), new Camera({ id: 'c', detectFps: 10 })];
    cams[2]!.state = 'reconnecting';
    let completed = 0;
    const pool: PerfPool = { provider: 'cuda', snapshot: () => ({ completed, inferenceMs: { p50: 12.345678, p99: 40 } }) };
    const empty = mkdtempSync(join(dir, 'no-bench-'));
    const sampler = new PerfSampler({ pool: () => pool, pipelines: () => cams, configuredCameras: () => 4, benchmarksDir: empty, clock: () => now });

    now += 10_000;
    cams[0]!.detectedFrames = 40;
    cams[0]!.motionSkipped = 10;
    cams[1]!.detectedFrames = 20;
    const first = sampler.sample();
    expect(first).toMatchObject({
      device: { cores: cpus().length, memoryMiB: Math.round(totalmem() / 2 ** 20), provider: 'cuda' },
      cameras: { configured: 4, streaming: 2 },
      detectionsPerSec: 6,
      framesPerSec: 7,
      targetFps: 10,
      efficiency: 0.7,
      inferenceMs: null,
      bench: null,
    });
    expect(first.cpu).toBeGreaterThanOrEqual(0);
    expect(first.cpu).toBeLessThanOrEqual(1);
    expect(first.rssMiB).toBeGreaterThan(10);

    // Camera b restarted (its counters went back): its new count is this interval's.
    now += 5_000;
    completed = 7;
    cams[0]!.detectedFrames = 65;
    cams[0]!.motionSkipped = 10;
    cams[1]!.detectedFrames = 5;
    const second = sampler.sample();
    expect(second).toMatchObject({ detectionsPerSec: 6, framesPerSec: 6, efficiency: 0.6, inferenceMs: { p50: 12.346, p99: 40 } });

    // No camera streaming: no efficiency; no pool: provider none.
    for (const c of cams) c.state = 'stopped';
    now += 1000;
    const idle = new PerfSampler({ pool: () => undefined, pipelines: () => cams, benchmarksDir: empty, clock: () => now }).sample();
    expect(idle).toMatchObject({ cameras: { configured: 3, streaming: 0 }, targetFps: 0, efficiency: null, device: { provider: 'none' } });
    expect(PerfSummarySchema.safeParse(idle).success).toBe(true);
  });

  it("takes cameras sustained and the fastest model's ms from the newest combined bench report, through the ops page's reader", () => {
    const folder = mkdtempSync(join(dir, 'bench-'));
    expect(benchHeadline(folder)).toBeNull();
    report(folder, '2026-11-30-box.json', '2026-11-30T10:00:00.000Z', [{ label: 'sustainedEveryFrame', value: 3 }, { label: 'modelMs', value: 30 }]);
    report(folder, '2026-12-01-box.json', '2026-12-01T10:00:00.000Z', [
      { label: 'sustainedEveryFrame', value: 7 },
      { label: 'sustainedMotionGate', value: 12 },
      { label: 'modelMs', value: 24.5 },
      { label: 'modelMs', value: 2.27 },
    ]);
    // A per-section report of a later date is not the combined report.
    report(folder, 'models-2026-12-02-box.json', '2026-12-02T10:00:00.000Z', [{ label: 'modelMs', value: 1 }]);
    expect(benchHeadline(folder)).toEqual({ date: '2026-12-01T10:00:00.000Z', camerasSustained: 7, modelMs: 2.27 });
    report(folder, '2026-12-03-box.json', '2026-12-03T10:00:00.000Z', [{ label: 'duration', value: 100 }]);
    expect(benchHeadline(folder)).toEqual({ date: '2026-12-03T10:00:00.000Z', camerasSustained: null, modelMs: null });
    // A date-named file of another format is no bench report of this device.
    writeFileSync(join(folder, '2026-12-04-box-other.json'), JSON.stringify({ date: '2026-12-04T10:00:00.000Z', runs: 20 }));
    expect(benchHeadline(folder)).toBeNull();

    // The repository's own reports give plausible figures, or none (the newest may not have run every section).
    const repo = benchHeadline(DEFAULT_BENCHMARKS_DIR);
    expect(repo === null || repo.camerasSustained === null || repo.camerasSustained >= 1).toBe(true);
    expect(repo === null || repo.modelMs === null || repo.modelMs > 0).toBe(true);
  });

  it('reaches a real central in a GatewaySync heartbeat and is answered on /v1/throughput', async () => {
    const central: CentralServer = await startTestServer(await dbs.fresh('sqlite'));
    const db = openDatabase(join(dir, 'gateway.sqlite'));
    const cams = [new Camera({ id: 'door', detectFps: 5 })];
    const sampler = new PerfSampler({ pool: () => ({ provider: 'cpu', snapshot: () => ({ completed: 1, inferenceMs: { p50: 20, p99: 30 } }) }), pipelines: () => cams });
    const config = parseConfig({
      site: { id: 'perf-site', name: 'Perf site' },
      cameras: [{ id: 'door', url: 'rtsp://127.0.0.1:9/none' }],
      storage: { dataDir: dir },
      sync: { url: central.url, enrolmentToken: await createEnrolmentToken(central.url, 'perf-site'), credentialsFile: join(dir, 'central.json'), heartbeatSeconds: 5 },
    });
    const sync = new GatewaySync({ db, config: config.sync, log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }, perf: () => sampler.sample(), idleMs: 20 });
    try {
      sync.start();
      expect(await waitFor(() => sync.status().gatewayId !== null, 10_000, 20)).toBe(true);
      let device: { perf: unknown; headroom: unknown } | undefined;
      const until = Date.now() + 10_000;
      while (!device?.perf && Date.now() < until) device = ((await api(central.url, 'GET', `/v1/throughput?gateway=${sync.status().gatewayId!}`, ADMIN_TOKEN)).json.devices as (typeof device)[])[0];
      const perf = PerfSummarySchema.parse(device?.perf);
      expect(perf).toMatchObject({ cameras: { configured: 1, streaming: 1 }, targetFps: 5, device: { provider: 'cpu', cores: cpus().length }, inferenceMs: { p50: 20, p99: 30 } });
      // The repository's bench report, if its newest names a sustained figure: headroom is that minus the one streaming camera.
      const sustained = perf.bench?.camerasSustained ?? null;
      expect(device?.headroom).toBe(sustained === null ? null : sustained - 1);
    } finally {
      await sync.stop();
      db.close();
      await central.close();
    }
  });
});

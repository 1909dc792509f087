import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../../../test-helpers/browser';
import { alive, waitFor } from '../../../test-helpers/processes';
import { isAccuracyResult, latestBenchmark } from '../../api/features/ops-benchmarks';
import { startRig, type DashboardRig } from './harness';

const missing = browserUnavailable();

interface SystemJson {
  process: { cpuCores: number; rssBytes: number; heapUsedBytes: number; uptimeSeconds: number };
  host: { cores: number; loadAverage: number[]; totalMemoryBytes: number; freeMemoryBytes: number; busyRatio: number };
  inference: { workers: number; queueDepth: number; inferenceMs: { p50: number; p99: number }; batchSizes: Record<string, number> } | null;
  liveRelays: Array<{ cameraId: string; viewers: number; pid: number | undefined }> | null;
}
interface BenchJson {
  file: string;
  kind: string;
  date: string | null;
  device: { host?: string } | null;
  markdown: string | null;
  summary: { headline: Array<{ label: string; value: unknown }>; tables: Array<{ title: string; rows: unknown[][] }> };
  available: Array<{ kind: string }>;
}

describe('benchmark reports', () => {
  it('picks the newest run by its date, pairs its Markdown report, shows its opsSummary block as is, summarises files without one by their plain values and skips non-JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    try {
      expect(latestBenchmark(dir)).toBeUndefined();
      expect(latestBenchmark(join(dir, 'absent'))).toBeUndefined();
      const device = { host: 'edge1', cpuModel: 'Test CPU', cores: 4, memoryGiB: 8 };
      const block = {
        headline: [{ label: 'sustainedCameras', value: 12, unit: 'cameras' }],
        tables: [{ title: 'capacity', columns: ['cameras', 'ok'], rows: [[12, true]] }],
      };
      writeFileSync(join(dir, 'streams-2026-01-02-edge1.json'), JSON.stringify({ date: '2026-01-02T10:00:00Z', device, capacity: { sustained: 99, steps: [] }, decode: [], opsSummary: block }));
      writeFileSync(join(dir, 'novel-2026-01-03-edge1.json'), JSON.stringify({ date: '2026-01-03T10:00:00Z', device, throughput: 42, note: 'x', nested: { a: 1 } }));
      writeFileSync(join(dir, 'novel-2026-01-03-edge1.md'), '# Novel run\n\n42 per second\n');
      writeFileSync(join(dir, 'broken-2026-01-04-edge1.json'), '{ not json');
      const newest = latestBenchmark(dir)!;
      expect(newest).toMatchObject({ file: 'novel-2026-01-03-edge1.json', kind: 'novel', markdown: '# Novel run\n\n42 per second\n', device: { host: 'edge1' } });
      expect(newest.summary.headline).toEqual(expect.arrayContaining([{ label: 'field', value: 42, vars: { name: 'throughput' } }]));
      expect(newest.summary.headline.some((f) => f.vars?.name === 'nested')).toBe(false);
      expect(newest.available.map((a) => a.kind)).toEqual(['novel', 'streams']);
      const streams = latestBenchmark(dir, 'streams')!;
      expect(streams.markdown).toBeNull();
      // The block as written, not a reading of the report's own layout (capacity.sustained is 99 there).
      expect(streams.summary).toEqual(block);
      expect(latestBenchmark(dir, 'models')).toBeUndefined();

      // A report without a block that is not of the current format: only its plain top-level values.
      writeFileSync(join(dir, 'bench-2026-01-05-edge1.json'), JSON.stringify({ date: '2026-01-05T10:00:00Z', device, quick: true, streams: { capacity: { sustained: 9 } } }));
      const older = latestBenchmark(dir)!;
      expect(older.kind).toBe('bench');
      expect(older.summary).toEqual({ headline: [{ label: 'field', value: true, vars: { name: 'quick' } }], tables: [] });

      // The combined report of npm run bench (current format) written before the block existed: the block computed by benchmarks/report/ops-summary.ts.
      const combinedReport = {
        schema: 1,
        date: '2026-01-06T10:00:00Z',
        host: 'edge1',
        device,
        durationSeconds: 600,
        models: { rows: [{ model: 'centernet', provider: 'cpu', threads: 4, batch1: { p50Ms: 30, p99Ms: 40, perSecond: 33 }, best: { batch: 2, msPerInference: 25, perSecond: 40 } }], stages: [{ name: 'face embed', p50Ms: 7, p99Ms: 9 }] },
        endToEnd: { measureSeconds: 40, everyFrame: { sustained: 8, at: null, steps: [{ cameras: 8, staticCameras: 0, minFps: 5, latencyP50Ms: 90, latencyP99Ms: 400, cpuCores: 3.5, rssMiB: 900, skipRatio: 0, sustained: true }] }, motionGate: { sustained: 14, at: null, steps: [] } },
        baselines: {},
        summary: { ortVsTfjsWasm: 4.2, detectFpsVsOpenCv: 2.5, cameras: { ours: 8, opencv: 3, ratio: 2.67 }, equalAccuracy: true, goalMet: true, notes: ['quick run'] },
        errors: [{ section: 'central', message: 'postgres not installed' }],
      };
      writeFileSync(join(dir, '2026-01-06-edge1.json'), JSON.stringify(combinedReport));
      writeFileSync(join(dir, '2026-01-06-edge1.md'), '# Benchmark report: edge1\n');
      const report = latestBenchmark(dir)!;
      expect(report).toMatchObject({ file: '2026-01-06-edge1.json', kind: 'report', markdown: '# Benchmark report: edge1\n' });
      expect(report.summary.headline).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ label: 'sustainedEveryFrame', value: 8 }),
          expect.objectContaining({ label: 'vsOpenCv', value: 2.67, unit: 'times' }),
          expect.objectContaining({ label: 'goalMet', value: true }),
          expect.objectContaining({ label: 'modelMs', value: 25, vars: { name: 'centernet', threads: 4, batch: 2 } }),
        ]),
      );
      expect(report.summary.headline.every((f) => f.value !== null)).toBe(true);
      expect(report.summary.tables.find((t) => t.title === 'errors')?.rows).toEqual([['central', 'postgres not installed']]);
      expect(report.summary.tables.find((t) => t.title === 'everyFrameRuns')?.rows).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('committed benchmark results', () => {
  it('each carry the opsSummary block the ops page shows as is, with figures and a filled table', () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'benchmarks', 'results');
    // Accuracy results (npm run eval) are no throughput report; the ops page leaves them out.
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !isAccuracyResult(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const block = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { opsSummary?: BenchJson['summary'] }).opsSummary;
      expect(block?.headline.filter((f) => f.value !== null).length, file).toBeGreaterThan(0);
      expect(block?.tables.some((t) => t.rows.length > 0), file).toBe(true);
    }
  });
});

/** A numeric cell of the camera health table (its raw value rides in data-value). */
const cell = (page: Page, camera: string, col: string) => async () => Number((await page.locator(`#camera-health tr[data-camera="${camera}"] td[data-col="${col}"]`).getAttribute('data-value')) || 0);
/** Frames the live player has decoded (live-player.js writes the count on the canvas once a second). */
const framesOf = (page: Page) => async () => Number((await page.locator('#live-canvas').getAttribute('data-frames')) || 0);

describe.skipIf(missing !== undefined)('ops page and live view', () => {
  let rig: DashboardRig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => rig?.stop());

  it('shows ops the cameras streaming, CPU and memory, the inference pool, sync and the latest benchmark', async () => {
    const { page } = await rig.loginAs('ops', 'en');
    await page.goto('/ops');
    await page.locator('#camera-health tr[data-camera="hall"][data-state="streaming"]').waitFor();
    await page.locator('#camera-health tr[data-camera="street"][data-state="streaming"]').waitFor();
    await expect.poll(cell(page, 'hall', 'inputFps'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(cell(page, 'street', 'inputFps'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(cell(page, 'hall', 'detectFps'), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.locator('#camera-health td[data-col="lastFrame"]').first().textContent()).toMatch(/s ago/);

    await page.locator('#system-cpu dd[data-fig="processCores"]').waitFor();
    expect(await page.locator('#system-cpu dd[data-fig="processCores"]').textContent()).toMatch(/of \d+ cores/);
    expect(await page.locator('#system-memory dd[data-fig="rss"]').textContent()).toMatch(/MiB|GiB/);
    await page.locator('#system-inference dd[data-fig="inferenceMs"]').waitFor();
    await page.locator('#batch-sizes').waitFor({ timeout: 15_000 });
    await page.locator('#relays-none').waitFor();
    await page.locator('#system-chart .uplot').waitFor();
    expect(await page.locator('#sync-state').getAttribute('data-state')).toBe('disabled');
    expect(await page.locator('#sync dd[data-fig="backlog"]').textContent()).toMatch(/^\d+$/);

    const latest = (await rig.api<BenchJson>('/api/benchmarks/latest', { role: 'ops' })).json;
    await page.locator('#bench-figures .bench-figure').first().waitFor();
    // The newest file in benchmarks/results may be an accuracy result (npm run eval): the page shows the newest benchmark.
    expect(isAccuracyResult(latest.file)).toBe(false);
    expect(await page.locator('#bench-file').textContent()).toBe(latest.file);
    expect(await page.locator('#bench-machine').textContent()).toContain(String(latest.device?.host));
    expect(await page.locator('#bench-date').textContent()).not.toBe('—');
    await page.selectOption('#bench-kind', 'models');
    await page.locator('#bench-title[data-kind="models"]').waitFor();
    expect(await page.locator('.bench-figure[data-label="modelMs"] .bench-value').first().textContent()).toMatch(/^\d+(\.\d+)? ms$/);
    expect(await page.locator('.bench-table[data-table="models"] tbody tr').count()).toBeGreaterThan(4);
    await screenshot(page, 'ops-en');

    const vi = await rig.loginAs('ops', 'vi');
    await vi.page.goto('/ops');
    expect(await vi.page.locator('h1').textContent()).toBe('Vận hành');
    await vi.page.locator('#bench-figures .bench-figure').first().waitFor();
    await expect.poll(cell(vi.page, 'hall', 'inputFps'), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(vi.page, 'ops-vi');
  });

  it('serves /api/system and /api/benchmarks/latest to ops only, with figures for every report kind', async () => {
    const system = await rig.api<SystemJson>('/api/system', { role: 'ops' });
    expect(system.status).toBe(200);
    expect(system.json.process.cpuCores).toBeGreaterThanOrEqual(0);
    expect(system.json.process.rssBytes).toBeGreaterThan(system.json.process.heapUsedBytes);
    expect(system.json.host.loadAverage).toHaveLength(3);
    expect(system.json.host.totalMemoryBytes).toBeGreaterThan(system.json.host.freeMemoryBytes);
    expect(system.json.inference?.workers).toBeGreaterThanOrEqual(1);
    expect(system.json.liveRelays).toEqual([]);
    for (const role of ['supervisor', 'security'] as const) {
      expect((await rig.api('/api/system', { role })).status, role).toBe(403);
      expect((await rig.api('/api/benchmarks/latest', { role })).status, role).toBe(403);
    }

    const latest = await rig.api<BenchJson>('/api/benchmarks/latest', { role: 'ops' });
    expect(latest.status).toBe(200);
    // The reports committed in benchmarks/results/ (newer runs may add kinds).
    const kinds = ['central', 'gateway', 'models', 'streams'];
    expect(latest.json.available.map((a) => a.kind)).toEqual(expect.arrayContaining(kinds));
    for (const kind of kinds) {
      const r = (await rig.api<BenchJson>(`/api/benchmarks/latest?kind=${kind}`, { role: 'ops' })).json;
      expect(r.kind).toBe(kind);
      expect(r.summary.headline.filter((f) => f.value !== null).length, kind).toBeGreaterThan(0);
      expect(r.summary.tables.some((t) => t.rows.length > 0), kind).toBe(true);
    }
    const unknown = await rig.api<{ error: string; field: string }>('/api/benchmarks/latest?kind=nope', { role: 'ops' });
    expect(unknown).toMatchObject({ status: 404, json: { field: 'kind' } });
    expect((await rig.api<{ field: string }>('/api/benchmarks/latest?kind=../x', { role: 'ops' })).json.field).toBe('kind');
  });

  it('gives a supervisor the 403 page for /ops and ops the 403 page for the live view', async () => {
    const { page } = await rig.loginAs('supervisor', 'en');
    const res = await page.goto('/ops');
    expect(res?.status()).toBe(403);
    await page.locator('#forbidden').waitFor();
    expect(await page.locator('header nav a[href="/ops"]').count()).toBe(0);
    const ops = await rig.loginAs('ops', 'en');
    expect((await ops.page.goto('/live/hall'))?.status()).toBe(403);
    // The websocket itself refuses a session without the role.
    const outcome = await ops.page.evaluate(`new Promise((resolve) => { const ws = new WebSocket('ws://' + location.host + '/ws/live/hall'); ws.onopen = () => resolve('open'); ws.onclose = (e) => resolve('closed ' + e.code); })`);
    expect(outcome).toBe('closed 1006');
  });

  it('plays camera hall live for security and stops the relay when the page closes', async () => {
    const { page } = await rig.loginAs('security', 'en');
    await page.goto('/live');
    await page.locator('#live-cameras a[data-camera="hall"][data-state="streaming"]').waitFor({ timeout: 15_000 });
    await screenshot(page, 'live-picker');
    await page.click('#live-cameras a[data-camera="hall"]');
    await page.waitForURL((u) => u.pathname === '/live/hall');
    await expect.poll(framesOf(page), { timeout: 20_000 }).toBeGreaterThan(10);
    expect(await page.locator('#player-state').getAttribute('data-state')).toBe('playing');
    expect(await page.locator('#camera-state').getAttribute('data-state')).toBe('streaming');
    const canvas = page.locator('#live-canvas');
    expect([await canvas.getAttribute('width'), await canvas.getAttribute('height')]).toEqual(['640', '480']);
    const first = await canvas.screenshot();
    const before = await framesOf(page)();
    await expect.poll(framesOf(page), { timeout: 10_000 }).toBeGreaterThan(before + 25);
    const second = await canvas.screenshot();
    expect(first.equals(second)).toBe(false);
    await screenshot(page, 'live-hall');

    const relays = (await rig.api<SystemJson>('/api/system')).json.liveRelays!;
    expect(relays).toEqual([expect.objectContaining({ cameraId: 'hall', viewers: 1 })]);
    const pid = relays[0]!.pid!;
    expect(alive(pid)).toBe(true);
    await page.close();
    expect(await waitFor(() => !alive(pid), 10_000)).toBe(true);
    const after = (await rig.api<SystemJson>('/api/system')).json.liveRelays;
    expect(after).toEqual([]);
    const audit = (await rig.api<{ entries: Array<{ user: string; action: string; subject: string }> }>('/api/audit')).json.entries;
    expect(audit).toContainEqual(expect.objectContaining({ user: 'security1', action: 'view_live', subject: 'camera:hall' }));
  });

  it('says so when the relay cap is reached or the camera is unknown', async () => {
    const { page } = await rig.loginAs('security', 'en');
    await page.goto('/live/nope');
    await page.locator('#player-state[data-state="unknown"]').waitFor();
    expect(await page.locator('#live-message').textContent()).toContain("no camera 'nope'");

    // The cap itself is covered in streams/test/live-view.test.ts; here the page's answer to its close code.
    await page.routeWebSocket(/\/ws\/live\/street$/, (ws) => ws.close({ code: 1013, reason: 'live view limit of 2 cameras reached' }));
    await page.goto('/live/street');
    await page.locator('#player-state[data-state="limit"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#live-message').textContent()).toContain('live view limit of 2 cameras reached');
    expect(await page.locator('#live-retry').isVisible()).toBe(true);
    await screenshot(page, 'live-limit');
    await page.close();
  });
});

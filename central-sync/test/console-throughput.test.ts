import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../../test-helpers/browser';
import type { CentralServer } from '../server';
import { PATHS } from '../wire';
import { BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, useDatabases, type TestGateway } from './helpers/central';
import { openConsoleAs } from './helpers/console-session';
import { perfSummary } from './perf-fixtures';

const dbs = useDatabases();
const noBrowser = browserUnavailable();

describe.each(BACKENDS)('the throughput page in Chromium on %s', (backend) => {
  if (noBrowser || skipBackend(backend)) {
    it.skip(`needs chromium and the backend: ${noBrowser ?? 'PostgreSQL binaries'}`, () => undefined);
    return;
  }
  let server: CentralServer;
  let browser: Browser;
  let page: Page;
  const gw: Record<'roomy' | 'tight' | 'over' | 'idle', TestGateway> = {} as never;

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend));
    // Enrolled in an order that is not the ranking: headroom roomy 6, tight 2, over −2 (12 cameras on a 10-camera device).
    const streaming = { over: 12, roomy: 4, tight: 8 } as const;
    for (const name of ['over', 'roomy', 'tight'] as const) {
      gw[name] = await enrolGateway(server.url, `site-${name}`);
      const perf = perfSummary({ cameras: { configured: streaming[name], streaming: streaming[name] }, device: { cores: name === 'over' ? 4 : 16, cpuModel: 'Intel(R) Xeon(R) E-2388G', memoryMiB: 32_768, provider: 'cpu' } });
      const body = { version: 3, gatewayId: gw[name].id, at: Date.now(), cameras: [], backlog: 0, oldestUnsentAt: null, dropped: 0, perf };
      expect((await sendSigned(server.url, PATHS.heartbeat, gw[name], body)).status).toBe(200);
    }
    // A gateway with no camera streaming: efficiency and inference null, and no bench report yet (ranked last, no headroom).
    gw.idle = await enrolGateway(server.url, 'site-idle');
    const idle = perfSummary({ cameras: { configured: 2, streaming: 0 }, efficiency: null, inferenceMs: null, bench: null, detectionsPerSec: 0, framesPerSec: 0, targetFps: 0 });
    expect((await sendSigned(server.url, PATHS.heartbeat, gw.idle, { version: 3, gatewayId: gw.idle.id, at: Date.now(), cameras: [], backlog: 0, oldestUnsentAt: null, dropped: 0, perf: idle })).status).toBe(200);
    ({ browser, page } = await openConsoleAs(server.url, 'ops', 'ops'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('ranks devices by headroom and flags the overloaded one with its reason, device facts and a trend; a device with no camera streaming shows dashes', async () => {
    expect((await page.goto(`${server.url}/throughput`))?.status()).toBe(200);
    const order = () => page.evaluate('[...document.querySelectorAll("#throughput-rows tr[data-gateway]")].map((r) => r.dataset.rank + ":" + r.dataset.gateway).join(",")');
    await expect.poll(order).toBe(`1:${gw.roomy.id},2:${gw.tight.id},3:${gw.over.id},4:${gw.idle.id}`);
    const idle = `#throughput-rows tr[data-gateway="${gw.idle.id}"]`;
    expect(await page.evaluate(`['td.headroom', 'td.efficiency', 'td.inference'].map((c) => document.querySelector('${idle} ' + c).textContent)`)).toEqual(['—', '—', '—']);
    expect(await page.evaluate(`document.querySelector('${idle}').textContent`)).toContain('chưa đo');
    const over = `#throughput-rows tr[data-gateway="${gw.over.id}"]`;
    expect(await page.evaluate(`[...document.querySelectorAll('#throughput-rows tr[data-overloaded]')].map((r) => r.dataset.gateway)`)).toEqual([gw.over.id]);
    expect(await page.evaluate(`document.querySelector('${over} td.headroom').textContent`)).toBe('-2');
    expect(await page.evaluate(`document.querySelector('${over} .overload li[data-reason="cameras"]').textContent`)).toBe('nhiều camera hơn mức chịu được');
    expect(await page.evaluate(`document.querySelector('${over} td.device').textContent`)).toContain('4 lõi');
    expect(await page.evaluate(`document.querySelector('#throughput-rows tr[data-gateway="${gw.roomy.id}"] td.device').textContent`)).toContain('16 lõi');
    // The heartbeat made one half-hour trend point: a polyline of one point per series.
    expect(await page.evaluate(`document.querySelector('${over} svg.spark polyline.det').getAttribute('points').split(' ').length`)).toBe(1);
    // Offset paging over a live ranking can repeat or skip a device whose load changed: the page says so.
    expect(await page.evaluate('document.getElementById("throughput-live-note").textContent')).toContain('Bảng xếp hạng là trực tiếp');
    const tile = (k: string) => page.evaluate(`document.querySelector('#throughput-summary [data-count="${k}"] .value').textContent`);
    expect([await tile('total'), await tile('overloaded'), await tile('stale')]).toEqual(['4', '1', '0']);
    await screenshot(page, `console-throughput-${backend}`);
  });

  it('switches to English with the same ranking', async () => {
    await page.click('#lang-switch');
    await expect.poll(() => page.evaluate(`document.querySelector('#throughput-rows tr[data-gateway="${gw.over.id}"] .overload li')?.textContent ?? ''`)).toBe('more cameras than it sustained');
    expect(await page.evaluate('document.querySelector("#throughput-rows tr[data-gateway]").dataset.gateway')).toBe(gw.roomy.id);
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser } from '../../test-helpers/browser';
import { CameraSimulator } from '../../streams';
import { resolveFfprobe } from '../../streams/ffmpeg/binary';
import { parseConfig } from '../config';
import { GatewayService } from '../service';

const TOKEN = 'clips-admin-token-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'gw-clips-e2e-'));
let sim: CameraSimulator;
let gateway: GatewayService;

beforeAll(async () => {
  sim = await CameraSimulator.start({ cameras: [{ name: 'street' }, { name: 'plain' }] });
  const config = parseConfig({
    site: { id: 'clips', name: 'Clips site' },
    cameras: [
      // The whole frame is restricted: the street video has people in it from the start, so the
      // incident outlasts maxClipSeconds and its clip ends 8 s after "2 s before the start". It starts
      // with the camera, before the buffer reaches back 2 s (a run's first segment, up to its second
      // keyframe, is not kept), so the clip may also say no_preroll.
      { id: 'street', url: sim.url('street'), detectFps: 3, zones: [{ id: 'all', type: 'restricted', points: [[0, 0], [1, 0], [1, 1], [0, 1]] }] },
      { id: 'plain', url: sim.url('plain'), detectFps: 1, clips: false },
    ],
    clips: { preRollSeconds: 2, postRollSeconds: 2, maxClipSeconds: 8 },
    users: [{ name: 'admin', role: 'admin', token: TOKEN }],
    storage: { dataDir: dir },
    api: { host: '127.0.0.1', port: 0 },
  });
  gateway = await GatewayService.start(config, pino({ level: 'warn' }));
});
afterAll(async () => {
  await gateway?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

describe('clips in the running gateway', () => {
  it('a restricted-zone incident on a clip-enabled camera gets a clip capped at maxClipSeconds; a camera with clips: false buffers nothing', async () => {
    type Events = { items: Array<{ id: number; type: string; cameraId: string; startedAt: number }> };
    let incident: Events['items'][number] | undefined;
    const deadline = Date.now() + 60_000;
    while (!incident && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      await gateway.flush();
      incident = (await api<Events>('/api/events?type=restricted_zone_entry')).items[0];
    }
    expect(incident, 'a restricted-zone incident').toBeDefined();
    type Info = { state: string; startedAt?: number; endedAt?: number; durationMs?: number; truncated?: boolean; reasons?: string[]; url?: string };
    let info: Info = { state: 'none' };
    // The clip is made once the buffer passes start - 2 s + 8 s.
    const clipDeadline = Date.now() + 40_000;
    while (info.state !== 'ready' && Date.now() < clipDeadline) {
      info = await api<Info>(`/api/events/${incident!.id}/clip/info`);
      if (info.state !== 'ready') await new Promise((r) => setTimeout(r, 500));
    }
    expect(info).toMatchObject({ state: 'ready', truncated: true });
    expect(info.reasons).toContain('max_clip_seconds');
    expect(info.reasons!.filter((r) => r !== 'max_clip_seconds' && r !== 'no_preroll')).toEqual([]);
    // Cut at the cap: 2 s before the start + 8 s; its length is the span it covers.
    expect(Math.abs(info.endedAt! - (incident!.startedAt + 6000))).toBeLessThanOrEqual(1000);
    const span = (info.endedAt! - info.startedAt!) / 1000;
    expect(Math.abs(info.durationMs! / 1000 - span)).toBeLessThanOrEqual(1);
    if (!info.reasons!.includes('no_preroll')) expect(Math.abs(span - 8)).toBeLessThanOrEqual(1);
    const res = await fetch(`${gateway.url}${info.url}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.headers.get('content-type')).toBe('video/mp4');
    const file = join(dir, 'clip.mp4');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const duration = Number(execFileSync(resolveFfprobe(), ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
    expect(Math.abs(duration - span)).toBeLessThanOrEqual(1);

    type Usage = { enabled: boolean; clips: { count: number }; cameras: Array<{ cameraId: string; codec: string | null }> };
    const usage = await api<Usage>('/api/clips/usage');
    expect(usage.cameras.map((c) => c.cameraId)).toEqual(['street']);
    expect(usage.clips.count).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(dir, 'clip-buffer', 'plain'))).toBe(false);
    expect(readdirSync(join(dir, 'clip-buffer', 'street')).some((f) => f.endsWith('.ts'))).toBe(true);

    // The incident's page plays it and says why it is shorter than the incident.
    if (browserUnavailable()) return;
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ baseURL: gateway.url });
      await context.addCookies([{ name: 'lang', value: 'en', url: gateway.url }]);
      expect((await context.request.post('/api/login', { data: { token: TOKEN }, headers: { origin: gateway.url } })).status()).toBe(200);
      const page = await context.newPage();
      await page.goto(`/events/${incident!.id}`);
      await expect.poll(() => page.evaluate(`document.getElementById('event-clip')?.readyState ?? 0`), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      expect(await page.locator('#event-clip-state').getAttribute('data-state')).toBe('truncated');
      const text = (await page.locator('#event-clip-state').textContent()) ?? '';
      expect(text.startsWith('Clip truncated: ')).toBe(true);
      expect(text).toContain('the event lasted longer than the longest clip');
    } finally {
      await browser.close();
    }
  }, 150_000);
});

import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegProcesses, sleep, waitFor } from '../../test-helpers/processes';
import { CameraStream, type CameraSource, type Frame } from '../camera';
import { CameraSimulator } from '../simulator';

let sim: CameraSimulator;
let dir: string;
const cameras: CameraStream[] = [];
const CAMS = Array.from({ length: 8 }, (_, i) => `cam${i + 1}`);

beforeAll(async () => {
  sim = await CameraSimulator.start({
    cameras: [...CAMS.map((name) => ({ name })), { name: 'secure', credentials: { user: 'operator', password: 'pa55word' } }],
  });
  dir = mkdtempSync(join(tmpdir(), 'streams-'));
});
afterEach(async () => {
  await Promise.all(cameras.splice(0).map((c) => c.stop()));
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function camera(source: CameraSource): CameraStream {
  const cam = new CameraStream(source);
  cameras.push(cam);
  cam.start();
  return cam;
}

/** Pulls frames as fast as they come for `ms` after the first one; returns them. */
async function collect(cam: CameraStream, ms: number): Promise<Frame[]> {
  const first = await cam.next();
  if (!first) return [];
  const frames = [first];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), until - Date.now());
    const f = await cam.next(controller.signal);
    clearTimeout(timer);
    if (f) frames.push(f);
  }
  return frames;
}

const rate = (frames: Frame[]): number => (frames.length - 1) / ((frames.at(-1)!.capturedAt - frames[0]!.capturedAt) / 1000);

describe('camera ingestion from a real RTSP server', () => {
  it('delivers frames at the configured fps and size from one camera, with stream timestamps', async () => {
    const cam = camera({ id: 'one', url: sim.url('cam1'), detectFps: 5, detectSize: { width: 640, height: 360 } });
    const frames = await collect(cam, 6000);
    const fps = rate(frames);
    console.info(`1 camera: ${frames.length} frames, ${fps.toFixed(2)} fps`);
    expect(fps).toBeGreaterThanOrEqual(4.5);
    expect(fps).toBeLessThanOrEqual(5.5);
    for (const f of frames) {
      expect([f.width, f.height, f.data.length]).toEqual([640, 360, 640 * 360 * 3]);
      expect(f.cameraId).toBe('one');
    }
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => frames[0]!.seq + i));
    const dt = frames[5]!.streamTime - frames[4]!.streamTime;
    expect(dt).toBeCloseTo(0.2, 5);
    expect(cam.health()).toMatchObject({ state: 'streaming', framesDropped: 0, reconnects: 0 });
  });

  it('delivers the configured fps from 8 cameras at once', async () => {
    const cams = CAMS.map((name) => camera({ id: name, url: sim.url(name), detectFps: 5, detectSize: { width: 416, height: 234 } }));
    const results = await Promise.all(cams.map((c) => collect(c, 6000)));
    const rates = results.map(rate);
    console.info(`8 cameras fps: ${rates.map((r) => r.toFixed(2)).join(' ')}`);
    for (const r of rates) {
      expect(r).toBeGreaterThanOrEqual(4.5);
      expect(r).toBeLessThanOrEqual(5.5);
    }
    for (const [i, frames] of results.entries()) expect(frames.every((f) => f.cameraId === CAMS[i])).toBe(true);
  });

  it('takes a full-resolution JPEG snapshot without disturbing the detection stream', async () => {
    const cam = camera({ id: 'snap', url: sim.url('cam2'), detectFps: 5, detectSize: { width: 320, height: 180 } });
    await cam.next();
    const jpeg = await cam.snapshot();
    const meta = await sharp(jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 960, 720]);
    const after = await collect(cam, 1000);
    expect(after.length).toBeGreaterThanOrEqual(4);
    expect(cam.health().reconnects).toBe(0);
  });

  it('decodes keyframes only when asked: one frame per 2 s GOP', async () => {
    const cam = camera({ id: 'key', url: sim.url('cam3'), keyframesOnly: true, detectSize: { width: 320, height: 180 } });
    const frames = await collect(cam, 6500);
    console.info(`keyframes-only: ${frames.length} frames in 6.5 s`);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.length).toBeLessThanOrEqual(5);
  });

  it('keeps memory flat under a consumer that sleeps 2 s per frame, counting drops', async () => {
    const cam = camera({ id: 'slow', url: sim.url('cam4'), detectFps: 10, detectSize: { width: 1280, height: 720 } });
    await cam.next();
    const samples: number[] = [];
    for (let i = 0; i < 6; i++) {
      await sleep(2000);
      const f = await cam.next();
      expect(f).not.toBeNull();
      samples.push(process.memoryUsage().arrayBuffers);
    }
    const h = cam.health();
    console.info(`slow consumer: in ${h.framesIn}, delivered ${h.framesDelivered}, dropped ${h.framesDropped}; arrayBuffers MB ${samples.map((s) => (s / 2 ** 20).toFixed(0)).join(' ')}`);
    expect(h.framesDropped).toBeGreaterThanOrEqual(80);
    expect(h.framesDelivered).toBeLessThanOrEqual(8);
    // 100+ frames of 2.7 MB went through; retaining them would add ~270 MB.
    expect(Math.max(...samples) - Math.min(...samples)).toBeLessThan(60 * 2 ** 20);
  });
});

describe('failures are reported, not fatal', () => {
  it('goes to failed/not_found for a wrong path', async () => {
    const cam = camera({ id: 'bad-path', url: `rtsp://127.0.0.1:${sim.port}/no-such-camera` });
    expect(await waitFor(() => cam.health().state === 'failed', 15_000)).toBe(true);
    expect(cam.health().reason).toBe('not_found');
  });

  it('goes to failed/unauthorized for wrong credentials, and streams with the right ones', async () => {
    const wrong = sim.url('secure').replace('pa55word', 'guess');
    const cam = camera({ id: 'bad-auth', url: wrong });
    expect(await waitFor(() => cam.health().state === 'failed', 15_000)).toBe(true);
    const h = cam.health();
    expect(h.reason).toBe('unauthorized');
    expect(h.url).not.toContain('guess');
    expect(h.retryAt! - Date.now()).toBeGreaterThan(30_000);
    const good = camera({ id: 'good-auth', url: sim.url('secure'), detectSize: { width: 320, height: 180 } });
    expect(await good.next()).not.toBeNull();
  });

  it('reconnects with growing backoff when nothing listens on the port', async () => {
    const cam = camera({ id: 'refused', url: 'rtsp://127.0.0.1:9/cam', backoff: { initialMs: 200, maxMs: 2000, jitter: 0 } });
    const delays: number[] = [];
    cam.on('state', (h) => {
      if (h.state === 'reconnecting' && h.retryAt) delays.push(h.retryAt - h.since);
    });
    expect(await waitFor(() => delays.length >= 4, 15_000)).toBe(true);
    expect(cam.health().reason).toBe('connection_refused');
    expect(delays.slice(0, 4)).toEqual([200, 400, 800, 1600]);
  });

  it('goes to failed/invalid_data for a file of random bytes', async () => {
    const path = join(dir, 'random.mp4');
    writeFileSync(path, Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 2654435761) >>> 24)));
    const cam = camera({ id: 'garbage', url: path });
    expect(await waitFor(() => cam.health().state === 'failed', 15_000)).toBe(true);
    expect(cam.health().reason).toBe('invalid_data');
  });
});

describe('recovery', () => {
  it('returns every camera to streaming after the RTSP server dies for 5 s, with sequence numbers continuing and no leftover ffmpeg', async () => {
    const port = String(sim.port);
    const cams = CAMS.slice(0, 4).map((name) =>
      camera({ id: `r-${name}`, url: sim.url(name), detectFps: 5, detectSize: { width: 320, height: 180 }, watchdogMs: 4000, startTimeoutMs: 10_000 }),
    );
    await Promise.all(cams.map((c) => c.next()));
    const before = cams.map((c) => c.health().framesIn);
    await sim.kill();
    await sleep(5000);
    expect(cams.every((c) => c.health().state !== 'streaming')).toBe(true);
    await sim.restart();
    // Backoff after ~5 s down is at most 1+2+4 s (+20% jitter) between attempts: back well within 15 s.
    const back = await waitFor(() => cams.every((c) => c.health().state === 'streaming'), 15_000);
    expect(back).toBe(true);
    const frames = await Promise.all(cams.map((c) => c.next()));
    frames.forEach((f, i) => expect(f!.seq).toBeGreaterThanOrEqual(before[i]!));
    for (const c of cams) expect(c.health().reconnects).toBeGreaterThanOrEqual(1);
    expect(ffmpegProcesses(port).length).toBeLessThanOrEqual(cams.length);
    await Promise.all(cams.map((c) => c.stop()));
    expect(await waitFor(() => ffmpegProcesses(port).length === 0, 5000)).toBe(true);
  });
});

/**
 * HTTP camera sources: a live MPEG-TS stream served over HTTP on 127.0.0.1 by a real ffmpeg, paced
 * in real time from the simulator's 720p H.264 video, as many IP cameras and encoders offer it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-helpers/processes';
import { CameraStream, type CameraSource } from '../camera';
import { resolveFfmpeg } from '../ffmpeg/binary';
import { simulatorMedia } from '../simulator';

let server: Server;
let base: string;
const encoders = new Set<ChildProcess>();
/** Each response ends after this long (ms), like an encoder that drops its clients; 0 keeps it open. */
let cutAfterMs = 0;

beforeAll(async () => {
  const video = simulatorMedia('720p');
  const ffmpeg = resolveFfmpeg().path;
  server = createServer((req, res) => {
    if (req.url !== '/live.ts') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such stream');
      return;
    }
    res.writeHead(200, { 'content-type': 'video/mp2t' });
    const encoder = spawn(ffmpeg, ['-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', video, '-c', 'copy', '-f', 'mpegts', 'pipe:1'], { stdio: ['ignore', 'pipe', 'ignore'] });
    encoders.add(encoder);
    encoder.stdout!.pipe(res);
    const end = () => {
      encoder.kill('SIGKILL');
      res.destroy();
    };
    const timer = cutAfterMs > 0 ? setTimeout(end, cutAfterMs) : undefined;
    encoder.once('exit', () => encoders.delete(encoder));
    res.once('close', () => {
      clearTimeout(timer);
      encoder.kill('SIGKILL');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

const cameras: CameraStream[] = [];
afterEach(async () => {
  await Promise.all(cameras.splice(0).map((c) => c.stop()));
  cutAfterMs = 0;
});
afterAll(async () => {
  for (const e of encoders) e.kill('SIGKILL');
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

function camera(source: CameraSource): CameraStream {
  const cam = new CameraStream(source);
  cameras.push(cam);
  cam.start();
  return cam;
}

describe('camera ingestion over HTTP', () => {
  it('delivers the configured fps and size from a live MPEG-TS stream', async () => {
    const cam = camera({ id: 'http-cam', url: `${base}/live.ts`, detectFps: 5, detectSize: { width: 640, height: 360 } });
    const first = await cam.next();
    expect(first).not.toBeNull();
    // ffmpeg probes ~2 s of an HTTP stream before its first frame and then hands that backlog over at
    // once: the wall-clock rate is measured after it.
    const settled = first!.capturedAt + 3000;
    let f = first!;
    while (f.capturedAt < settled) f = (await cam.next())!;
    const frames = [f];
    while (frames.length < 26) frames.push((await cam.next())!);
    const fps = (frames.length - 1) / ((frames.at(-1)!.capturedAt - frames[0]!.capturedAt) / 1000);
    console.info(`HTTP camera: ${frames.length} frames at ${fps.toFixed(2)} fps after the probe backlog`);
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.streamTime - frames[i - 1]!.streamTime).toBeCloseTo(0.2, 5);
    expect(fps).toBeGreaterThanOrEqual(4.5);
    expect(fps).toBeLessThanOrEqual(5.5);
    expect([first!.width, first!.height, first!.data.length]).toEqual([640, 360, 640 * 360 * 3]);
    expect(cam.health()).toMatchObject({ state: 'streaming', reconnects: 0 });
  });

  it('goes to failed/not_found on a 404', async () => {
    const cam = camera({ id: 'http-404', url: `${base}/nothing-here.ts` });
    expect(await waitFor(() => cam.health().state === 'failed', 15_000)).toBe(true);
    expect(cam.health().reason).toBe('not_found');
  });

  it('reconnects when the encoder drops the connection, and streams again', async () => {
    cutAfterMs = 3000;
    const cam = camera({ id: 'http-cut', url: `${base}/live.ts`, detectSize: { width: 320, height: 180 }, backoff: { initialMs: 200, maxMs: 1000, jitter: 0 } });
    expect(await cam.next()).not.toBeNull();
    expect(await waitFor(() => cam.health().reconnects >= 1 && cam.health().state === 'streaming', 20_000)).toBe(true);
    const seqBefore = (await cam.next())!.seq;
    expect((await cam.next())!.seq).toBeGreaterThan(seqBefore);
  });
});

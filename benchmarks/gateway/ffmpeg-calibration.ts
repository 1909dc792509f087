/**
 * How much of the gateway's ffmpeg CPU is decoding and how much is the rest of its filter chain
 * (fps, scale, RGB conversion): the same simulated camera read by two ffmpeg processes side by side,
 * one decoding only (`-f null`), one with exactly the gateway's detection arguments; the ratio of
 * their CPU over the same window is the decode share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { inputOptions, inputPath } from '../../streams/camera/args';
import { detectionArgs } from '../../streams/camera/command';
import { parseCameraSource, type CameraSource } from '../../streams/camera/config';
import { processCpuSeconds } from '../../streams/camera/cpu';
import { resolveFfmpeg } from '../../streams/ffmpeg/binary';
import { probeFfmpeg } from '../../streams/ffmpeg/probe';

export interface FfmpegCalibration {
  seconds: number;
  /** CPU cores of each process over the window. */
  decodeOnlyCores: number;
  gatewayArgsCores: number;
  /** decodeOnly / gatewayArgs, at most 1. */
  decodeShare: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

/** `camera` as the gateway configures it (url, detectFps, detectSize); `seconds` of measurement after a 2 s settle. */
export async function calibrateFfmpeg(camera: CameraSource, seconds: number): Promise<FfmpegCalibration> {
  const bin = resolveFfmpeg().path;
  const names = probeFfmpeg(bin);
  const cam = parseCameraSource(camera);
  const decodeOnly = [...inputOptions(cam, names), '-i', inputPath(cam.url), '-an', '-sn', '-dn', '-f', 'null', '-'];
  const children = [decodeOnly, detectionArgs(cam, names)].map((args) => spawn(bin, args, { stdio: ['ignore', 'ignore', 'ignore'] }));
  try {
    await sleep(2000);
    const cpu = () => children.map((c) => (c.pid === undefined ? undefined : processCpuSeconds(c.pid)));
    const start = cpu();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const end = cpu();
    const window = (performance.now() - t0) / 1000;
    const used = end.map((e, i) => (e === undefined || start[i] === undefined ? undefined : e - start[i]!));
    const [dec, all] = used;
    if (dec === undefined || all === undefined || all <= 0) throw new Error('ffmpeg calibration: an ffmpeg process exited or used no CPU (is the camera reachable?)');
    return {
      seconds: Math.round(window * 10) / 10,
      decodeOnlyCores: Math.round((dec / window) * 1000) / 1000,
      gatewayArgsCores: Math.round((all / window) * 1000) / 1000,
      decodeShare: Math.round(Math.min(1, dec / all) * 1000) / 1000,
    };
  } finally {
    await Promise.all(children.map(stop));
  }
}

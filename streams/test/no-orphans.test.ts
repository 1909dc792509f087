import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, waitFor } from '../../test-helpers/processes';
import { CameraSimulator } from '../simulator';

let sim: CameraSimulator;
beforeAll(async () => {
  sim = await CameraSimulator.start({ cameras: [{ name: 'cam1' }] });
});
afterAll(() => sim?.stop());

async function startChild(mode: 'sigterm' | 'throw') {
  const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
  const child = spawn(tsx, [join(import.meta.dirname, 'fixtures/camera-child.ts'), sim.url('cam1'), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child never streamed')), 30_000);
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.startsWith('STREAMING')) {
        clearTimeout(timer);
        resolve(l);
      }
    });
  });
  const ffmpegPid = Number(line.split(' ')[1]);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ffmpegPid, exited };
}

describe('no orphan ffmpeg when the gateway process ends', () => {
  it('on SIGTERM: cameras stop, ffmpeg is gone, exit code 143', async () => {
    const { child, ffmpegPid, exited } = await startChild('sigterm');
    expect(alive(ffmpegPid)).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(await waitFor(() => !alive(ffmpegPid), 3000)).toBe(true);
  });

  it('on an uncaught error: ffmpeg is killed as the process exits', async () => {
    const { ffmpegPid, exited } = await startChild('throw');
    expect(await exited).toBe(1);
    expect(await waitFor(() => !alive(ffmpegPid), 3000)).toBe(true);
  });
});

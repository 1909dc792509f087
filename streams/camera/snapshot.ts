import { spawn } from 'node:child_process';
import { resolveFfmpeg } from '../ffmpeg/binary';
import { terminate, trackChild } from '../ffmpeg/children';
import { inputOptions, inputPath, sourceKind } from './args';
import type { ParsedCameraSource } from './config';

/**
 * One full-resolution JPEG from the camera through a short-lived ffmpeg of its own (RTSP allows
 * several sessions), so the detection stream keeps running. Killed if it takes longer than `timeoutMs`.
 */
export function grabSnapshot(cam: ParsedCameraSource, timeoutMs: number): Promise<Buffer> {
  const binary = resolveFfmpeg();
  const input = inputOptions({ ...cam, keyframesOnly: false, realtime: false, loop: false, inputOptions: cam.inputOptions }, binary.major).filter((o) => o !== '-nostats');
  const args = ['-loglevel', 'error', ...input, '-i', inputPath(cam.url), '-frames:v', '1', '-an', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '3', 'pipe:1'];
  return new Promise((resolve, reject) => {
    const child = spawn(binary.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-500);
    });
    const timer = setTimeout(() => {
      void terminate(child, 500);
      reject(new Error(`snapshot of camera '${cam.id}' timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(chunks);
      if (jpeg.length > 2 && jpeg[0] === 0xff && jpeg[1] === 0xd8) resolve(jpeg);
      else reject(new Error(`snapshot of camera '${cam.id}' (${sourceKind(cam.url)}) failed: ${stderr.trim() || 'no image'}`));
    });
  });
}

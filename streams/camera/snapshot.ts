import { spawn } from 'node:child_process';
import { resolveFfmpeg } from '../ffmpeg/binary';
import { terminate, trackChild } from '../ffmpeg/children';
import { inputOptions, inputPath, sourceKind } from './args';
import type { ParsedCameraSource } from './config';
import { ffmpegOutputMask } from './redact';

/** Raw stderr kept while ffmpeg runs (it logs errors only); the message shows the masked tail. */
const STDERR_KEEP = 16 * 1024;
const STDERR_SHOWN = 500;

/**
 * One full-resolution JPEG from the camera through a short-lived ffmpeg of its own (RTSP allows
 * several sessions), so the detection stream keeps running. Killed if it takes longer than `timeoutMs`.
 */
export function grabSnapshot(cam: ParsedCameraSource, timeoutMs: number): Promise<Buffer> {
  const binary = resolveFfmpeg();
  const input = inputOptions({ ...cam, keyframesOnly: false, realtime: false, loop: false, inputOptions: cam.inputOptions }, binary.options).filter((o) => o !== '-nostats');
  const args = ['-loglevel', 'error', ...input, '-i', inputPath(cam.url), '-frames:v', '1', '-an', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '3', 'pipe:1'];
  return new Promise((resolve, reject) => {
    const child = spawn(binary.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr = keepWholeLines(stderr + c.toString(), STDERR_KEEP);
    });
    const timer = setTimeout(() => {
      void terminate(child, 500);
      reject(new Error(`snapshot of camera '${cam.id}' timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(chunks);
      if (jpeg.length > 2 && jpeg[0] === 0xff && jpeg[1] === 0xd8) resolve(jpeg);
      else reject(new Error(`snapshot of camera '${cam.id}' (${sourceKind(cam.url)}) failed: ${ffmpegOutputMask(cam.url)(stderr).trim().slice(-STDERR_SHOWN) || 'no image'}`));
    });
  });
}

/**
 * The end of `text`, at most `max` characters, starting at a line: a cut inside a line could leave
 * a password without the `scheme://user:` before it, which the mask would no longer recognise.
 */
function keepWholeLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = text.slice(-max);
  const lineStart = tail.indexOf('\n');
  return lineStart < 0 ? '' : tail.slice(lineStart + 1);
}

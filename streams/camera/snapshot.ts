import { resolveFfmpeg } from '../ffmpeg/binary';
import { probeFfmpeg } from '../ffmpeg/probe';
import { launchFfmpeg } from '../ffmpeg/launcher';
import { inputOptions, inputPath, sourceKind } from './args';
import type { ParsedCameraSource } from './config';
import { ffmpegOutputMask } from './redact';

/** The message shows the masked tail of ffmpeg's stderr (it logs errors only). */
const STDERR_SHOWN = 500;

/**
 * One full-resolution JPEG from the camera through a short-lived ffmpeg of its own (RTSP allows
 * several sessions), so the detection stream keeps running. Killed if it takes longer than `timeoutMs`.
 */
export function grabSnapshot(cam: ParsedCameraSource, timeoutMs: number): Promise<Buffer> {
  const binary = resolveFfmpeg();
  const input = inputOptions({ ...cam, keyframesOnly: false, fastDecode: false, realtime: false, loop: false, inputOptions: cam.inputOptions }, probeFfmpeg(binary.path)).filter((o) => o !== '-nostats');
  const args = ['-loglevel', 'error', ...input, '-i', inputPath(cam.url), '-frames:v', '1', '-an', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '3', 'pipe:1'];
  return new Promise((resolve, reject) => {
    const proc = launchFfmpeg(args, { binary });
    const chunks: Buffer[] = [];
    proc.stdout.on('data', (c: Buffer) => chunks.push(c));
    const timer = setTimeout(() => {
      void proc.stop(500);
      reject(new Error(`snapshot of camera '${cam.id}' timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    void proc.exited.then(({ stderrTail }) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(chunks);
      if (jpeg.length > 2 && jpeg[0] === 0xff && jpeg[1] === 0xd8) resolve(jpeg);
      else reject(new Error(`snapshot of camera '${cam.id}' (${sourceKind(cam.url)}) failed: ${ffmpegOutputMask(cam.url)(stderrTail).trim().slice(-STDERR_SHOWN) || 'no image'}`));
    });
  });
}

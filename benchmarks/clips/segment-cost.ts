/**
 * What the clip buffer costs: CPU of a camera's ffmpeg with and without the segment output, and the
 * bytes the buffer writes per camera-hour. Pairs of cameras on the same simulated stream run side by
 * side (one with segments, one without) so both see the same load on the machine.
 *
 *   npx tsx benchmarks/clips/segment-cost.ts (npm run bench:clips --) [seconds=60] [repeats=3] [resolution=720p]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CameraStream } from '../../streams/camera';
import { CameraSimulator, type SimResolution } from '../../streams/simulator';
import { assembleClip, SegmentBuffer } from '../../streams/segments';

const seconds = Number(process.argv[2] ?? 60);
const repeats = Number(process.argv[3] ?? 3);
const resolution = (process.argv[4] ?? '720p') as SimResolution;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const sim = await CameraSimulator.start({ cameras: [{ name: 'cam', resolution }] });
  const dir = mkdtempSync(join(tmpdir(), 'segments-measure-'));
  const rows: string[] = [];
  const clips: string[] = [];
  try {
    for (let i = 0; i < repeats; i++) {
      // Keep everything written for the byte count (keepSeconds beyond the run).
      const buffer = new SegmentBuffer({ dir: join(dir, `run${i}`), segmentSeconds: 2, keepSeconds: seconds + 60 });
      const source = { url: sim.url('cam'), detectFps: 5, detectSize: { width: 640, height: 360 } };
      const withSegments = new CameraStream({ id: `with${i}`, ...source }, { segments: buffer });
      const without = new CameraStream({ id: `without${i}`, ...source });
      withSegments.start();
      without.start();
      while (withSegments.health().state !== 'streaming' || without.health().state !== 'streaming') await sleep(200);
      await sleep(3000);
      const cpu0 = [withSegments.health().ffmpegCpuSeconds, without.health().ffmpegCpuSeconds];
      const bytes0 = buffer.status().bytes;
      await sleep(seconds * 1000);
      const cpu1 = [withSegments.health().ffmpegCpuSeconds, without.health().ffmpegCpuSeconds];
      buffer.poll();
      const bytes = buffer.status().bytes - bytes0;
      const a = (cpu1[0]! - cpu0[0]!) / seconds;
      const b = (cpu1[1]! - cpu0[1]!) / seconds;
      rows.push(`run ${i + 1}: with segments ${(a * 100).toFixed(2)}% of a core, without ${(b * 100).toFixed(2)}%, added ${((a - b) * 100).toFixed(2)} points (${(((a - b) / b) * 100).toFixed(1)}%); buffer ${(bytes / seconds / 1024).toFixed(1)} KiB/s = ${((bytes / seconds) * 3600 / 2 ** 20).toFixed(0)} MiB per camera-hour`);
      await Promise.all([withSegments.stop(), without.stop()]);
      // One clip of the default shape (10 s + a 5 s event + 10 s) from the buffer: wall time and size.
      const segs = buffer.window(0, Date.now()).slice(-13);
      const clipSeconds = Math.min(25, (segs.at(-1)!.endMs - segs[0]!.startMs) / 1000);
      const t0 = performance.now();
      const clip = await assembleClip(segs.map((s) => s.path), join(dir, `clip${i}.mp4`), { durationSeconds: clipSeconds, codec: 'h264' });
      clips.push(`clip ${i + 1}: ${clip.durationSeconds.toFixed(2)} s, ${(clip.bytes / 2 ** 20).toFixed(2)} MiB, assembled and read back in ${((performance.now() - t0) / 1000).toFixed(2)} s wall`);
      buffer.close();
    }
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${resolution} H.264 15 fps from the simulator, detect 5 fps at 640x360, ${seconds} s per run (ffmpeg utime+stime from /proc):`);
  for (const r of [...rows, ...clips]) console.log(r);
}

void main();

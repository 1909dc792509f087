import { renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { launchFfmpeg } from '../ffmpeg/launcher';

export interface AssembledClip {
  /** The MP4's duration as ffmpeg reads it back (seconds). */
  durationSeconds: number;
  bytes: number;
}

export interface AssembleOptions {
  /** Seconds of the joined segments to keep (cut at that frame; the start is the first segment's keyframe). */
  durationSeconds: number;
  /** H.265 is tagged hvc1, which Safari and Chrome want in MP4. */
  codec?: string | null;
  timeoutMs?: number;
}

/** `Duration: 00:00:12.34` from ffmpeg's banner. */
export function bannerDuration(stderr: string): number | undefined {
  const m = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

/** One ffmpeg through the launcher (tracked, never outliving the process), stopped after `timeoutMs`. */
async function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  const ffmpeg = launchFfmpeg(args);
  ffmpeg.stdout.resume(); // nothing comes on stdout (the clip goes to a file); drained so the pipe closes
  const timer = setTimeout(() => void ffmpeg.stop(1000), timeoutMs);
  const exit = await ffmpeg.exited;
  clearTimeout(timer);
  return { code: exit.code, stderr: exit.stderrTail };
}

/**
 * Joins MPEG-TS segments (each starting on a keyframe) into one MP4 by stream copy, moov first
 * (+faststart) so a browser starts playing before the whole file has arrived. Written under a
 * temporary name and renamed, so a reader never sees half a clip. Rejects with ffmpeg's last lines.
 */
export async function assembleClip(segmentPaths: readonly string[], outPath: string, options: AssembleOptions): Promise<AssembledClip> {
  if (segmentPaths.length === 0) throw new Error('no segments to assemble');
  const listPath = `${outPath}.concat.txt`;
  const tmpPath = `${outPath}.part.mp4`;
  const quote = (p: string) => `'${p.replace(/'/g, "'\\''")}'`;
  writeFileSync(listPath, segmentPaths.map((p) => `file ${quote(p)}\n`).join(''));
  const timeoutMs = options.timeoutMs ?? 60_000;
  try {
    const tag = options.codec === 'hevc' ? ['-tag:v', 'hvc1'] : [];
    const made = await run(
      ['-nostdin', '-hide_banner', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', listPath, '-map', '0:v:0', '-c', 'copy', ...tag,
        '-t', options.durationSeconds.toFixed(3), '-avoid_negative_ts', 'make_zero', '-movflags', '+faststart', '-f', 'mp4', tmpPath],
      timeoutMs,
    );
    if (made.code !== 0) throw new Error(`clip assembly failed (${made.code ?? 'killed'}): ${made.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const probe = await run(['-nostdin', '-hide_banner', '-i', tmpPath], 15_000);
    const durationSeconds = bannerDuration(probe.stderr);
    if (durationSeconds === undefined) throw new Error('clip assembly produced no readable MP4');
    renameSync(tmpPath, outPath);
    return { durationSeconds, bytes: statSync(outPath).size };
  } finally {
    for (const p of [listPath, tmpPath]) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
    }
  }
}

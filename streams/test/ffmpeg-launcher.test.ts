import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, waitFor } from '../../test-helpers/processes';
import { resolveFfmpeg } from '../ffmpeg/binary';
import { liveChildren } from '../ffmpeg/children';
import { launchFfmpeg } from '../ffmpeg/launcher';

const STREAMS = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [relative(STREAMS, path)] : [];
  });
}

describe('one ffmpeg launcher', () => {
  it('is the only place in streams/ that starts a long-running process (besides the simulator running python)', () => {
    const starters = sources(STREAMS).filter((file) => {
      const text = readFileSync(join(STREAMS, file), 'utf8');
      // spawn/exec/execFile/fork from child_process (the *Sync ones only ask ffmpeg for its version and help),
      // fluent-ffmpeg's run()/pipe() or its private ffmpegProc, node-rtsp-stream's muxer.
      const imported = /import\s*\{([^}]*)\}\s*from\s*'node:child_process'/.exec(text)?.[1] ?? '';
      const asyncStarter = imported.split(',').some((name) => ['spawn', 'exec', 'execFile', 'fork'].includes(name.trim().split(/\s/)[0]!));
      return asyncStarter || /ffmpegProc|node-rtsp-stream|\.pipe\(\)|\.run\(\)/.test(text);
    });
    expect(starters.sort()).toEqual(['ffmpeg/launcher.ts', 'simulator/simulator.ts']);
  });

  it('tracks the child, hands over stderr by line and stdout as bytes, and reports a clean end', async () => {
    const lines: string[] = [];
    const proc = launchFfmpeg(['-hide_banner', '-nostdin', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5', '-frames:v', '3', '-vf', 'showinfo', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
      onStderrLine: (line) => lines.push(line),
    });
    expect(liveChildren()).toBe(1);
    let bytes = 0;
    proc.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    const exit = await proc.exited;
    expect(exit).toMatchObject({ code: 0, signal: null, message: 'ffmpeg exited' });
    expect(bytes).toBe(3 * 64 * 48 * 3);
    expect(lines.filter((l) => /Parsed_showinfo.* n:\s*\d+ /.test(l))).toHaveLength(3);
    expect(liveChildren()).toBe(0);
  });

  it("ends its message with ffmpeg's closing error, as fluent-ffmpeg did", async () => {
    const exit = await launchFfmpeg(['-hide_banner', '-nostdin', '-i', '/nonexistent/camera.mp4', '-f', 'null', '-']).exited;
    expect(exit.code).toBe(1);
    expect(exit.message).toBe('ffmpeg exited with code 1: /nonexistent/camera.mp4: No such file or directory\n');
    expect(exit.stderrTail).toContain('/nonexistent/camera.mp4: No such file or directory');
  });

  it('stops a running ffmpeg (SIGTERM) and says so', async () => {
    const proc = launchFfmpeg(['-hide_banner', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5', '-f', 'null', '-']);
    expect(await waitFor(() => proc.pid !== undefined && alive(proc.pid), 5000)).toBe(true);
    await proc.stop();
    const exit = await proc.exited;
    // ffmpeg catches SIGTERM and exits on its own, with 255.
    expect(exit.signal === 'SIGTERM' || exit.code === 255).toBe(true);
    expect(alive(proc.pid!)).toBe(false);
    expect(liveChildren()).toBe(0);
  });

  it('reports a binary that cannot start without throwing', async () => {
    const binary = { ...resolveFfmpeg(), path: '/nonexistent/ffmpeg' };
    const exit = await launchFfmpeg(['-version'], { binary }).exited;
    expect(exit.message).toBe('ffmpeg could not start: ENOENT');
  });
});

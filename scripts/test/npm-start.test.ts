import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { alive, processes, waitFor, type ProcessRow } from '../../test-helpers/processes';

const ROOT = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
const started: ChildProcess[] = [];
afterEach(() => {
  // A test that failed half-way leaves nothing running either.
  for (const npm of started.splice(0)) {
    if (npm.exitCode !== null || npm.signalCode !== null) continue;
    for (const p of descendants(npm.pid!)) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
    npm.kill('SIGKILL');
  }
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Every process below `pid` (children, grandchildren, ...). */
function descendants(pid: number): ProcessRow[] {
  const all = processes();
  const found: ProcessRow[] = [];
  let frontier = [pid];
  while (frontier.length) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    found.push(...next);
    frontier = next.map((p) => p.pid);
  }
  return found;
}

async function startDemo(path = process.env.PATH) {
  const port = await freePort();
  const npm = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, PATH: path, PORT: String(port), DEMO_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout.on('data', (d: Buffer) => (output += d.toString()));
  npm.stderr.on('data', (d: Buffer) => (output += d.toString()));
  started.push(npm);
  let ended = false;
  const exited = new Promise<void>((resolve) =>
    npm.once('exit', () => {
      ended = true;
      resolve();
    }),
  );
  const bannered = await waitFor(() => ended || output.includes('is running: http://127.0.0.1:'), 90_000, 200) && !ended;
  expect(bannered, `no banner from npm start:\n${output}`).toBe(true);
  // The cameras start ffmpeg once the gateway is up.
  expect(await waitFor(() => descendants(npm.pid!).some((p) => /(^|\/)ffmpeg\s/.test(p.args)), 30_000), `no ffmpeg under npm start:\n${output}`).toBe(true);
  const tree = descendants(npm.pid!);
  expect(tree.some((p) => /\bnode\b.*gateway\/main\.ts/.test(p.args)), JSON.stringify(tree)).toBe(true);
  if (output.includes('cameras from the RTSP simulator')) expect(tree.some((p) => p.args.includes('rtsp_server.py')), JSON.stringify(tree)).toBe(true);
  return { npm, tree, exited, port, output: () => output };
}

/** Alive and not a zombie (a sandbox's pid 1 may never reap what it inherits). */
function running(pid: number): boolean {
  if (!alive(pid)) return false;
  const state = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return state !== '' && !state.startsWith('Z');
}

/** Waits until none of `tree` is left; kills (and names) whatever is. */
async function leftOver(tree: ProcessRow[]): Promise<string[]> {
  await waitFor(() => tree.every((p) => !running(p.pid)), 8_000);
  const left = tree.filter((p) => running(p.pid));
  for (const p of left) process.kill(p.pid, 'SIGKILL');
  return left.map((p) => `${p.pid} ${p.args}`);
}

describe('npm start', () => {
  it('stops the gateway, its ffmpeg cameras and the camera simulator when the npm process gets SIGTERM', async () => {
    const { npm, tree, exited, output } = await startDemo();
    npm.kill('SIGTERM');
    await exited;
    expect(await leftOver(tree), output()).toEqual([]);
  });

  it('stops them too when npm is killed outright (SIGKILL): the gateway notices its parent is gone', async () => {
    const { npm, tree, exited, output } = await startDemo();
    npm.kill('SIGKILL');
    await exited;
    expect(await leftOver(tree.filter((p) => p.pid !== npm.pid)), output()).toEqual([]);
  });

  it("says once that it uses npm's ffmpeg when the system has none and apt-get is not at hand", async () => {
    // A PATH of node, npm and sh alone: no ffmpeg, no apt-get.
    const bin = join(dataDir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync(spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim(), join(bin, 'npm'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    const { npm, tree, exited, port, output } = await startDemo(bin);
    // What a newcomer sees: both demo cameras streaming through npm's ffmpeg within a minute.
    const token = /admin token: (\S+)/.exec(output())?.[1];
    expect(token, output()).toBeDefined();
    let cameras: Array<{ camera: { cameraId: string; state: string; ffmpegVersion: string } }> = [];
    const deadline = Date.now() + 60_000;
    let streaming = false;
    while (!streaming && Date.now() < deadline) {
      const res = await fetch(`http://127.0.0.1:${port}/api/cameras`, { headers: { authorization: `Bearer ${token}` } });
      cameras = ((await res.json()) as { cameras: typeof cameras }).cameras;
      streaming = cameras.length === 2 && cameras.every((c) => c.camera.state === 'streaming');
      if (!streaming) await new Promise((r) => setTimeout(r, 500));
    }
    const states = cameras.map((c) => c.camera);
    expect(streaming, `${JSON.stringify(states)}\n${output()}`).toBe(true);
    // ...and it is npm's binary that streams them.
    const npmFfmpeg = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    const npmVersionLine = spawnSync(npmFfmpeg, ['-version'], { encoding: 'utf8' }).stdout.split('\n')[0]!;
    for (const c of states) expect(npmVersionLine, JSON.stringify(c)).toContain(c.ffmpegVersion);
    npm.kill('SIGTERM');
    await exited;
    expect(await leftOver(tree), output()).toEqual([]);
    expect(output().match(/using the copy shipped by npm/g), output()).toHaveLength(1);
    expect(output()).not.toMatch(/installing/);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegProcesses, waitFor } from '../../test-helpers/processes';
import { CameraSimulator } from '../../streams';
import { integrityOk, openDatabase } from '../store';

const TOKEN = 'crash-test-admin-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'gw-crash-'));
let sim: CameraSimulator;
let configPath: string;

beforeAll(async () => {
  sim = await CameraSimulator.start({ cameras: [{ name: 'street' }] });
  configPath = join(dir, 'gateway.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      site: { id: 'crash', name: 'Crash test' },
      // Two restricted zones on the busy walkway: each raises its own incident (one per occupied zone, not one per person).
      cameras: [{ id: 'street', url: sim.url('street'), zones: [
        { id: 'staff', type: 'restricted', points: [[0.6, 0.3], [1, 0.3], [1, 1], [0.6, 1]] },
        { id: 'walkway', type: 'restricted', points: [[0, 0.3], [0.55, 0.3], [0.55, 0.65], [0, 0.65]] },
      ] }],
      users: [{ name: 'admin', role: 'admin', token: TOKEN }],
      storage: { dataDir: join(dir, 'data') },
      api: { host: '127.0.0.1', port: 0 },
    }),
  );
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function startGateway(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('gateway did not start')), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /is running: (http:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return { child, url };
}

const eventCount = (): number => {
  const db = openDatabase(join(dir, 'data', 'gateway.sqlite'));
  try {
    expect(integrityOk(db)).toBe(true);
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('gateway killed with SIGKILL and restarted', () => {
  it('keeps every committed event, leaves no ffmpeg behind, and carries on', async () => {
    const first = await startGateway();
    const api = (path: string) => fetch(`${first.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    let seen = 0;
    try {
      expect(
        await waitFor(() => {
          void api('/api/events?limit=500')
            .then(async (r) => {
              seen = ((await r.json()) as { items: unknown[] }).items.length;
            })
            .catch(() => undefined);
          return seen >= 2;
        }, 60_000, 500),
      ).toBe(true);
    } finally {
      // Also when the wait failed: a gateway left running outlives the test run (seen once in CI).
      first.child.kill('SIGKILL');
      if (first.child.exitCode === null && first.child.signalCode === null) await new Promise((r) => first.child.once('exit', r));
    }
    const afterCrash = eventCount();
    expect(afterCrash).toBeGreaterThanOrEqual(seen);
    expect(await waitFor(() => ffmpegProcesses(String(sim.port)).length === 0, 5000)).toBe(true);

    const second = await startGateway();
    try {
      expect(await waitFor(() => eventCount() > afterCrash, 60_000, 1000)).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
    expect(await waitFor(() => ffmpegProcesses(String(sim.port)).length === 0, 5000)).toBe(true);
  });
});

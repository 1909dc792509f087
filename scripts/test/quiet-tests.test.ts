import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Runs the fixture tests with the project's vitest configuration; everything they print. */
function runFixtures(fail: boolean): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', FORCE_COLOR: '0', NO_COLOR: '1' };
  if (fail) env.QUIET_FIXTURE_FAIL = '1';
  else delete env.QUIET_FIXTURE_FAIL;
  const r = spawnSync(join(ROOT, 'node_modules/.bin/vitest'), ['run', '--config', 'scripts/test/fixtures/quiet/vitest.config.ts'], { cwd: ROOT, env, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('test output', () => {
  it('a passing test prints none of its logs: default loggers, its own pino loggers, console', () => {
    const { status, output } = runFixtures(false);
    expect(status, output).toBe(0);
    expect(output).not.toContain('MARKER');
    expect(output).toMatch(/Tests\s+2 passed/);
  });

  it("a failing test's logs are printed, and only that test's", () => {
    const { status, output } = runFixtures(true);
    expect(status, output).toBe(1);
    for (const marker of ['default-logger FAILING-MARKER', 'own-logger FAILING-MARKER', 'console FAILING-MARKER']) expect(output, output).toContain(marker);
    expect(output).not.toContain('PASSING-MARKER');
  });
});

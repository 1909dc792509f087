import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function npm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { npm_config_onnxruntime_node_install: _inherited, ...env } = process.env;
  const r = spawnSync('npm', args, { cwd: ROOT, encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the project's npm configuration", () => {
  it('makes npm print no warning (no unknown .npmrc key)', () => {
    const r = npm(['pkg', 'get', 'name']);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/npm warn/i);
  });

  it("denies onnxruntime-node's install script (its CUDA download) in allowScripts, and every installed install script is reviewed", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
    const pending = npm(['approve-scripts', '--allow-scripts-pending', '--json']);
    expect(pending.status).toBe(0);
    expect(JSON.parse(pending.stdout)).toEqual({ allowScripts: [] });
    expect(pending.stderr).not.toMatch(/npm warn/i);
  });

  it('.ci/run skips the CUDA download for npm versions that ignore allowScripts (the Dockerfiles: deploy.test.ts)', () => {
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/^export ONNXRUNTIME_NODE_INSTALL=skip$/m);
  });
});

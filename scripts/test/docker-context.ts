/**
 * Just enough of Docker's semantics to check the Dockerfiles without a Docker engine: instructions
 * (continuation lines joined, comments dropped), COPY arguments, .dockerignore matching, and laying
 * out a stage's COPYs from the build context into a folder as the image would hold them.
 */
import { cpSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending: { args: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && !pending)) return;
    const continued = line.endsWith('\\');
    const part = continued ? line.slice(0, -1).trim() : line;
    pending = pending ? { args: `${pending.args} ${part}`, line: pending.line } : { args: part, line: i + 1 };
    if (continued) return;
    const [keyword = '', ...rest] = pending.args.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' '), line: pending.line };
    pending = undefined;
    if (instruction.keyword === 'FROM') {
      const [from = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ from, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  });
  return stages;
}

export interface CopyArgs {
  from?: string;
  sources: string[];
  dest: string;
}

export function copyArgs(instruction: Instruction): CopyArgs {
  const words = instruction.args.trim().startsWith('[') ? (JSON.parse(instruction.args) as string[]) : instruction.args.split(/\s+/);
  let from: string | undefined;
  const paths: string[] = [];
  for (const word of words) {
    if (word.startsWith('--from=')) from = word.slice('--from='.length);
    else if (!word.startsWith('--')) paths.push(word);
  }
  const dest = paths.pop();
  if (!dest || paths.length === 0) throw new Error(`line ${instruction.line}: COPY needs a source and a destination`);
  return { ...(from ? { from } : {}), sources: paths, dest };
}

function patternRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** .dockerignore: patterns anchored at the context root; a path is excluded when it or a parent folder matches. */
export class DockerIgnore {
  private readonly rules: Array<{ negate: boolean; re: RegExp }>;

  constructor(text: string) {
    this.rules = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => {
        const negate = l.startsWith('!');
        return { negate, re: patternRegExp(posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, '')).replace(/\/$/, '')) };
      });
  }

  ignores(path: string): boolean {
    const parts = posix.normalize(path).replace(/\/$/, '').split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of this.rules) if (prefixes.some((p) => rule.re.test(p))) ignored = !rule.negate;
    return ignored;
  }
}

/** Files under `source` (a file or a folder of the context) that the build context would hold. */
export function contextFiles(contextDir: string, source: string, ignore: DockerIgnore): string[] {
  const rel = posix.normalize(source).replace(/\/$/, '');
  const abs = join(contextDir, rel);
  if (ignore.ignores(rel)) return [];
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs).flatMap((entry) => contextFiles(contextDir, `${rel}/${entry}`, ignore));
}

/**
 * Lays out the COPYs of one stage that come from the build context under `root` (container path
 * /x at root/x), as `docker build` would. COPYs from other stages are returned for the caller to supply.
 */
export function layOutStage(stage: Stage, contextDir: string, ignore: DockerIgnore, root: string): { workdir: string; fromStages: CopyArgs[] } {
  let workdir = '/';
  const fromStages: CopyArgs[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.keyword === 'WORKDIR') workdir = posix.resolve(workdir, instruction.args.trim());
    if (instruction.keyword !== 'COPY') continue;
    const copy = copyArgs(instruction);
    if (copy.from) {
      fromStages.push(copy);
      continue;
    }
    const dest = posix.resolve(workdir, copy.dest);
    for (const source of copy.sources) {
      const base = posix.normalize(source).replace(/\/$/, '');
      const isDir = statSync(join(contextDir, base)).isDirectory();
      for (const file of contextFiles(contextDir, source, ignore)) {
        const target = isDir ? posix.join(dest, posix.relative(base, file)) : copy.dest.endsWith('/') ? posix.join(dest, basename(file)) : dest;
        mkdirSync(join(root, posix.dirname(target)), { recursive: true });
        cpSync(join(contextDir, file), join(root, target), { preserveTimestamps: true });
      }
    }
  }
  return { workdir, fromStages };
}

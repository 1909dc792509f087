import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The .ts files under `dir` (recursively), skipping test folders. */
export function productionSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'test' && name !== 'node_modules') out.push(...productionSources(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** Relative imports and re-exports of a file (type-only ones included), resolved to .ts files. */
export function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/g), ...text.matchAll(/import\('(\.[^']+)'\)/g)].map((m) => m[1]!);
  return specs.flatMap((spec) => {
    const base = resolve(dirname(file), spec);
    const found = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p) && statSync(p).isFile());
    return found ? [found] : [];
  });
}

/** Import cycles (type-only imports included) that pass through a file under `within`, as paths relative to `root`. */
export function importCycles(files: readonly string[], within: string, root: string): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (file: string) => {
    if (onStack.has(file)) {
      const cycle = stack.slice(stack.indexOf(file));
      if (cycle.some((f) => f.startsWith(within))) cycles.push(cycle.map((f) => relative(root, f)));
      return;
    }
    if (done.has(file)) return;
    stack.push(file);
    onStack.add(file);
    for (const next of relativeImports(file)) visit(next);
    stack.pop();
    onStack.delete(file);
    done.add(file);
  };
  for (const f of files) visit(f);
  return cycles;
}

/** Lines of a source file that run or hold SQL: prepare( / exec( / pragma( calls and SQL statements. */
export function sqlStatements(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => /\.(prepare|pragma)\(|\bdb\.exec\(|SELECT\s.*\bFROM\s|INSERT\s+(OR\s+[A-Z]+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s/.test(line))
    .map((line) => line.trim());
}

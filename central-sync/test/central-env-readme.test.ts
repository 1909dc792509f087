import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** The keys of main.ts's Env schema: the variables `npm run central` reads. */
function variablesRead(): string[] {
  const main = readFileSync(join(ROOT, 'central-sync', 'server', 'main.ts'), 'utf8');
  const schema = /const Env = z\s*\.object\(\{([\s\S]*?)\n\s*\}\)/.exec(main)?.[1];
  if (!schema) throw new Error('main.ts: the Env schema was not found');
  return [...schema.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!).sort();
}

/** The variables in the README's table under "### Central server". */
function variablesDocumented(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Central server (`npm run central`)'));
  const table = section.slice(section.indexOf('| variable |'), section.indexOf('| route |'));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!))
    .sort();
}

describe("the central's settings", () => {
  it('are each read by main.ts and documented in the README, and nothing else is documented', () => {
    const read = variablesRead();
    expect(read).toContain('CENTRAL_AUDIT_RETENTION_DAYS');
    expect(read.length).toBeGreaterThanOrEqual(12);
    expect(variablesDocumented()).toEqual(read);
  });
});

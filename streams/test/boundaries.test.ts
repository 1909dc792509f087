import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const STREAMS = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('what streams/ may import', () => {
  it('nothing from scripts/, models/ or gateway/ (relative imports stay inside streams/)', () => {
    const outside = sources(STREAMS).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)]
        .map((m) => relative(STREAMS, join(file, '..', m[1]!)))
        .filter((target) => target.startsWith('..'))
        .map((target) => `${relative(STREAMS, file)} -> ${target}`),
    );
    expect(outside).toEqual([]);
  });
});

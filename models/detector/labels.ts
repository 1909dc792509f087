import { readFileSync } from 'node:fs';
import { ModelError } from '../errors';

/**
 * Parses the class-name metadata the Ultralytics exporters write: a Python dict literal such as
 * `{0: 'person', 1: 'bicycle'}` (or JSON). Returns undefined when the text is not such a mapping.
 */
export function parseNamesMetadata(text: string): string[] | undefined {
  const entries = [...text.matchAll(/(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)];
  if (entries.length === 0) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((n) => typeof n === 'string')) return parsed as string[];
    } catch {
      return undefined;
    }
    return undefined;
  }
  const names: string[] = [];
  for (const m of entries) names[Number(m[1])] = m[2] ?? m[3] ?? '';
  return Array.from(names, (n, i) => n ?? `class_${i}`);
}

/** Reads a labels file: a JSON array of names, or one name per line. */
export function readLabelsFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ModelError(`cannot read labels file ${path}: ${(err as Error).message}`, path);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const names = parseNamesMetadata(trimmed);
    if (!names) throw new ModelError(`labels file ${path} is not a JSON array or {id: name} mapping`, path);
    return names;
  }
  const lines = trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length === 0) throw new ModelError(`labels file ${path} has no labels`, path);
  return lines;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The project's README, read at test time: the documentation is what is tested. */
export const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The text under a heading (the exact heading line, e.g. `## The gateway (gateway/)`) up to the next heading of its level or above. */
export function section(heading: string): string {
  const lines = README.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no heading '${heading}'`);
  const level = heading.indexOf(' ');
  let inFence = false;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = !inFence && /^#{1,6} /.test(line) ? line.indexOf(' ') : undefined;
    if (heading !== undefined && heading <= level) break;
    body.push(line);
  }
  return body.join('\n');
}

/** The ```yaml blocks of a piece of README text, parsed. */
export function yamlBlocks(text: string): unknown[] {
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => parseYaml(m[1]!) as unknown);
}

/** The field names in the first column of every table in the text: each `name` in backticks (a cell may hold several). */
export function tableFields(text: string): string[] {
  const rows = text.split('\n').filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line));
  const firstCells = rows.map((row) => row.split('|')[1]!.trim()).filter((cell) => cell !== 'field');
  return firstCells.flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

/** Every `${NAME}` / `${NAME:-fallback}` in the text. */
export function envVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Z0-9_]+)(?::-[^}]*)?\}/g)].map((m) => m[1]!))];
}

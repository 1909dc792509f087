import type { z } from 'zod';
import { unstorableText } from '../../central-sync/wire';
import { formatPath } from '../config';
import { ApiError } from './errors';

/** C0 controls and DEL, but tab, line feed and carriage return (which multi-line text may hold). */
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const TAB_OR_LINE_BREAK = /[\t\n\r]/;

const codePoint = (ch: string) => `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why `text` may not be stored from the API, or undefined when it may: U+0000 and lone surrogates
 * (central, on PostgreSQL, cannot store them), other control characters (they garble logs and pages),
 * and in a one-line field (a name) tab or a line break. The reason never echoes the text.
 */
export function unsafeText(text: string, lines: 'one line' | 'multi-line'): string | undefined {
  const unstorable = unstorableText(text);
  if (unstorable) return unstorable;
  const control = CONTROL.exec(text)?.[0];
  if (control) return `must not contain control character ${codePoint(control)}`;
  if (lines === 'one line' && TAB_OR_LINE_BREAK.test(text)) return 'must be one line (no tab or line break)';
  return undefined;
}

function refined<S extends z.ZodString>(schema: S, lines: 'one line' | 'multi-line'): S {
  return schema.superRefine((text, ctx) => {
    const why = unsafeText(text, lines);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  }) as S;
}

/** A name, title or other one-line text: `nameText(z.string().min(1).max(120))`. */
export const nameText = <S extends z.ZodString>(schema: S): S => refined(schema, 'one line');

/** A note or comment, which may span lines: `noteText(z.string().max(1000))`. */
export const noteText = <S extends z.ZodString>(schema: S): S => refined(schema, 'multi-line');

/** Deeper than any zones body needs (zones[i].schedule.windows[j].days[k] is 6); deeper is refused unread. */
const MAX_JSON_DEPTH = 16;

/**
 * The path of the first string (value or key) in a JSON value that is not one-line safe text, or of
 * the first value nested deeper than MAX_JSON_DEPTH. Walked with an explicit stack: a hostile body
 * nested 100,000 deep must get a 400, not overflow the call stack.
 */
function firstUnsafe(root: unknown): { path: Array<string | number>; why: string } | undefined {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const why = unsafeText(value, 'one line');
      if (why) return { path, why };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_JSON_DEPTH) return { path, why: `nested deeper than ${MAX_JSON_DEPTH} levels` };
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key] of entries) {
      const keyWhy = typeof key === 'string' ? unsafeText(key, 'one line') : undefined;
      if (keyWhy) return { path, why: `a key ${keyWhy}` };
    }
    // Reversed so the first entry is checked first, as the message names "the first" offender.
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
  }
  return undefined;
}

/**
 * For bodies whose schema is not the API's own (zones, as in the config file): every string in it
 * must be one-line safe text, or a 400 names the first one that is not.
 */
export function assertOneLineJson(value: unknown, where: 'body' | 'query'): void {
  const found = firstUnsafe(value);
  if (!found) return;
  const field = formatPath(found.path) || where;
  throw new ApiError(400, `${where} ${field}: ${found.why}`, field);
}

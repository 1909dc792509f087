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

/** The path of the first string (value or key) in a JSON value that is not one-line safe text. */
function firstUnsafe(value: unknown, path: Array<string | number>): { path: Array<string | number>; why: string } | undefined {
  if (typeof value === 'string') {
    const why = unsafeText(value, 'one line');
    return why ? { path, why } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, inner] of entries) {
    const keyWhy = typeof key === 'string' ? unsafeText(key, 'one line') : undefined;
    if (keyWhy) return { path, why: `a key ${keyWhy}` };
    const found = firstUnsafe(inner, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * For bodies whose schema is not the API's own (zones, as in the config file): every string in it
 * must be one-line safe text, or a 400 names the first one that is not.
 */
export function assertOneLineJson(value: unknown, where: 'body' | 'query'): void {
  const found = firstUnsafe(value, []);
  if (!found) return;
  const field = formatPath(found.path) || where;
  throw new ApiError(400, `${where} ${field}: ${found.why}`, field);
}

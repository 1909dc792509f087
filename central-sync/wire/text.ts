import { z } from 'zod';

/**
 * What both central stores can hold. PostgreSQL refuses U+0000 in text and in jsonb (anywhere in a
 * document, object keys included) and a lone surrogate in jsonb (its \uD800-style escape is not
 * Unicode); SQLite takes both. Refusing them on the wire makes the two stores answer alike: 400
 * naming the field, never a 500 from one and a 200 from the other.
 */
const NUL = '\u0000';
/** In a `u` regex a surrogate range matches only surrogates that are not part of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Deepest nesting of objects and arrays in event data; far deeper would overflow JSON.stringify's stack. */
export const MAX_DATA_DEPTH = 32;

/** Why this string cannot be stored at central, or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain U+0000 (NUL)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone surrogate (not valid Unicode)';
  return undefined;
}

/**
 * A string schema refined to text both stores can hold. For any name that may travel to central
 * (watchlist, zone, camera names): `safeText(z.string().min(1).max(100))`.
 */
export function safeText<S extends z.ZodString>(schema: S): S {
  return schema.superRefine((text, ctx) => {
    const why = unstorableText(text);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  }) as S;
}

type Problem = { path: Array<string | number>; message: string };

/** The first thing in a JSON value that central cannot store, with its path; undefined when there is none. */
export function jsonProblem(value: unknown, path: Array<string | number> = [], depth = 0): Problem | undefined {
  if (typeof value === 'string') {
    const why = unstorableText(value);
    return why ? { path, message: why } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_DATA_DEPTH) return { path, message: `nested deeper than ${MAX_DATA_DEPTH} levels` };
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, inner] of entries) {
    // The key itself is not echoed: it is the offending text.
    const keyWhy = typeof key === 'string' ? unstorableText(key) : undefined;
    if (keyWhy) return { path, message: `an object key ${keyWhy}` };
    const found = jsonProblem(inner, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Event data: a JSON object whose every key and string both stores can hold, nested at most MAX_DATA_DEPTH deep. */
export const safeJsonObject = () =>
  z.record(z.string(), z.unknown()).superRefine((data, ctx) => {
    const problem = jsonProblem(data);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  });

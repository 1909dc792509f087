/**
 * JSON as a fuzzer writes it: besides plain values, text that JSON.stringify cannot produce (raw
 * number tokens such as 1e400, deep nesting built as text) and objects with duplicate or
 * prototype-pollution keys, written in order as given.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** An object as a list of entries: keys may repeat, and `__proto__` is an ordinary key. */
export class Entries {
  constructor(readonly entries: ReadonlyArray<readonly [string, FuzzJson]>) {}
}

export type FuzzJson = null | boolean | number | string | RawJson | Entries | FuzzJson[] | { [key: string]: FuzzJson };

export function isPlainObject(v: unknown): v is { [key: string]: FuzzJson } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawJson) && !(v instanceof Entries);
}

/** The JSON text of a fuzz value (recursion only as deep as the value's own nesting). */
export function jsonText(v: FuzzJson): string {
  if (v instanceof RawJson) return v.text;
  if (v instanceof Entries) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
  if (isPlainObject(v)) return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${jsonText(v[k]!)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** A short, printable description of a value for finding reports (escapes control and non-ASCII characters). */
export function preview(v: FuzzJson | string, max = 120): string {
  const text = typeof v === 'string' ? v : jsonText(v);
  const shown = text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
  return shown.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

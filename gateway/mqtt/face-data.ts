/**
 * Face data in event data (see gateway/api/event-views.ts, Decree 13): a watchlist match carries who
 * it is (`person`, `personId`) and a base64 face crop (`faceCrop`). The feed leaves them out unless
 * `mqtt.includeFaceData` is set.
 */
export const FACE_DATA_FIELDS: readonly string[] = ['faceCrop', 'person', 'personId'];

/** Deeper than this, values are replaced by null (event data is 2-3 levels deep; this also stops cycles). */
const MAX_DEPTH = 8;

type Data = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

function collect(value: unknown, depth: number, found: string[]): void {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, depth + 1, found);
    return;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (FACE_DATA_FIELDS.includes(key)) {
      if (!found.includes(key)) found.push(key);
    } else collect((value as Data)[key], depth + 1, found);
  }
}

/** The face-data fields found in `data` at any depth, by name (no allocation when there are none: it runs for every event). */
export function faceDataFields(data: unknown): string[] {
  const found: string[] = [];
  collect(data, 0, found);
  return found;
}

function strip(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((v) => strip(v, depth + 1));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !FACE_DATA_FIELDS.includes(key)).map(([key, v]) => [key, strip(v, depth + 1)]));
}

/** `data` without face-data fields at any depth (a copy; the caller's object is not touched). */
export function withoutFaceData(data: Data): Data {
  return strip(data, 0) as Data;
}

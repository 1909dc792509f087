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

/** The face-data fields found in `data` at any depth, by name. */
export function faceDataFields(data: unknown, depth = 0): string[] {
  if (depth > MAX_DEPTH) return [];
  if (Array.isArray(data)) return [...new Set(data.flatMap((v) => faceDataFields(v, depth + 1)))];
  if (!isPlainObject(data)) return [];
  const found = new Set<string>();
  for (const [key, value] of Object.entries(data)) {
    if (FACE_DATA_FIELDS.includes(key)) found.add(key);
    else for (const f of faceDataFields(value, depth + 1)) found.add(f);
  }
  return [...found];
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

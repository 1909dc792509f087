import { z } from 'zod';
import type { EventCursor } from '../store';
import { MAX_HOLES, type LiveCursor } from '../store/arrivals-sql';
import { HttpError } from './errors';

const CursorShape = z.tuple([z.number().int().min(0), z.number().int().min(1)]);

/** The answer to a cursor this API did not hand out. */
export const NOT_A_CURSOR = 'query cursor: not a cursor from this API';

/** A position as clients see it: base64url of its JSON, opaque. */
export const packCursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');

/** The position packCursor made, checked by `shape`; anything else is a 400 naming `field`. */
export function unpackCursor<T>(text: string, shape: z.ZodType<T>, field = 'cursor', message = NOT_A_CURSOR): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = shape.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, message, field);
  return parsed.data;
}

/**
 * Opaque to clients: the (started_at, id) of the last row served. The next page is everything
 * strictly below it in that order, so rows inserted meanwhile never shift or repeat a page.
 */
export function encodeCursor(c: EventCursor): string {
  return packCursor([c.startedAt, c.id]);
}

export function decodeCursor(text: string): EventCursor {
  const [startedAt, id] = unpackCursor(text, CursorShape);
  return { startedAt, id };
}

const ArrivalShape = z.union([
  z.tuple([z.literal('a'), z.number().int().min(0)]),
  z.tuple([z.literal('a'), z.number().int().min(0), z.array(z.tuple([z.number().int().min(1), z.number().int().min(0)])).max(MAX_HOLES)]),
]);

/**
 * Live arrivals: the highest event id a page has been offered and the ids below it not visible yet
 * (see LiveCursor). Ids grow in arrival order, so "newer than this" finds events that arrived since,
 * whatever their started_at (a gateway syncing late).
 */
export function encodeArrivalCursor(cursor: LiveCursor | number): string {
  const c = typeof cursor === 'number' ? { after: cursor, holes: [] } : cursor;
  return packCursor(c.holes.length ? ['a', c.after, c.holes] : ['a', c.after]);
}

export function decodeArrivalCursor(text: string): LiveCursor {
  const parsed = unpackCursor(text, ArrivalShape, 'since', 'query since: not a live cursor from this API (liveCursor of /v1/events)');
  return { after: parsed[1], holes: parsed.length === 3 ? parsed[2] : [] };
}

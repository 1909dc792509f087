import { z } from 'zod';
import type { EventCursor } from '../store';
import { MAX_HOLES, type LiveCursor } from '../store/arrivals-sql';
import { HttpError } from './errors';

const CursorShape = z.tuple([z.number().int().min(0), z.number().int().min(1)]);

/**
 * Opaque to clients: the (started_at, id) of the last row served. The next page is everything
 * strictly below it in that order, so rows inserted meanwhile never shift or repeat a page.
 */
export function encodeCursor(c: EventCursor): string {
  return Buffer.from(JSON.stringify([c.startedAt, c.id])).toString('base64url');
}

export function decodeCursor(text: string): EventCursor {
  try {
    const [startedAt, id] = CursorShape.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return { startedAt, id };
  } catch {
    throw new HttpError(400, 'query cursor: not a cursor from this API', 'cursor');
  }
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
  return Buffer.from(JSON.stringify(c.holes.length ? ['a', c.after, c.holes] : ['a', c.after])).toString('base64url');
}

export function decodeArrivalCursor(text: string): LiveCursor {
  try {
    const parsed = ArrivalShape.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return { after: parsed[1], holes: parsed.length === 3 ? parsed[2] : [] };
  } catch {
    throw new HttpError(400, 'query since: not a live cursor from this API (liveCursor of /v1/events)', 'since');
  }
}

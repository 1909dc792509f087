import { z } from 'zod';
import type { EventCursor } from '../store';
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

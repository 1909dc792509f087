import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorResponse } from '../../wire';

/** An answer to the client: status, message and, where it helps, the offending field or record. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly field?: string,
    readonly record?: number,
  ) {
    super(message);
  }
}

/** Every error carries serverTime: a gateway whose clock is off learns the correction from any refusal. */
export function errorResponse(c: Context, status: ContentfulStatusCode, error: string, serverTime: number, field?: string, record?: number): Response {
  const body: ErrorResponse = { error, ...(field !== undefined ? { field } : {}), ...(record !== undefined ? { record } : {}), serverTime };
  return c.json(body, status, { 'cache-control': 'no-store' });
}

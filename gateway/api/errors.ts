import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { formatPath } from '../config';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function jsonError(c: Context, status: ContentfulStatusCode, message: string, field?: string) {
  return c.json({ error: message, ...(field ? { field } : {}) }, status);
}

/** The request's JSON body, or a 400 ApiError when it is not JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ApiError(400, 'body is not valid JSON', 'body');
  }
}

/** Parses with zod or throws a 400 ApiError naming the first bad field. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, where: 'query' | 'body' | 'path'): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = formatPath(issue.path) || where;
  throw new ApiError(400, `${where} ${field}: ${issue.message}`, field);
}

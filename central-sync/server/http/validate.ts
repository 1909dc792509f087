import type { z } from 'zod';
import { HttpError } from './errors';

/** Parses `input` or answers 400 naming the first offending parameter or field. */
export function validate<T extends z.ZodType>(schema: T, input: unknown, where: 'query' | 'body' | 'path'): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const named = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const field = named.map(String).join('.') || where;
  const message = issue.code === 'unrecognized_keys' ? `unknown ${where === 'query' ? 'parameter' : 'field'}` : issue.message;
  throw new HttpError(400, `${where} ${field}: ${message}`, field);
}

import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { HttpError } from './errors';

const gunzipAsync = promisify(gunzip);

export function requireJsonContentType(contentType: string | undefined): void {
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    throw new HttpError(415, `content-type must be application/json (got '${(contentType ?? '').slice(0, 100)}')`, 'content-type');
  }
}

/** The body bytes exactly as sent, refused with 413 as soon as they pass `maxBytes`. */
export async function readRawBody(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw new HttpError(413, `body larger than ${maxBytes} bytes`, 'body');
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new HttpError(413, `body larger than ${maxBytes} bytes`, 'body');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Undoes Content-Encoding. zlib stops inflating once the output passes `maxInflated` (it inflates
 * chunk by chunk on the thread pool), so a gzip bomb costs at most that much memory.
 */
export async function decodeBody(raw: Buffer, contentEncoding: string | undefined, maxInflated: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') throw new HttpError(415, `content-encoding '${encoding.slice(0, 50)}' is not supported (use gzip)`, 'content-encoding');
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxInflated });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new HttpError(413, `body inflates to more than ${maxInflated} bytes`, 'body');
    throw new HttpError(400, 'body is not valid gzip', 'body');
  }
}

export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON', 'body');
  }
}

/** A small plain JSON body (no Content-Encoding): content type checked, size capped, parsed. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  requireJsonContentType(request.headers.get('content-type') ?? undefined);
  return parseJson(await readRawBody(request, maxBytes));
}

import { gzipSync } from 'node:zlib';
import { jsonText, type FuzzJson } from './json-text';
import type { Rng } from './prng';

/** Request body bytes with the headers that describe them (content type, encoding). */
export interface EncodedBody {
  bytes: Uint8Array;
  headers: Record<string, string>;
  label: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

let gzipBombBytes: Uint8Array | undefined;
/** 64 MiB of zeros in about 64 KB: made once per process. */
function gzipBomb(): Uint8Array {
  gzipBombBytes ??= new Uint8Array(gzipSync(Buffer.alloc(64 * 2 ** 20), { level: 9 }));
  return gzipBombBytes;
}

const CONTENT_TYPES = [
  '',
  'text/plain',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/json, text/html',
  'application/json;\tcharset=\xff',
  `application/json; ${'x'.repeat(10_000)}`,
];

/** Text JSON.parse refuses or reads differently from what the sender meant. */
function malformed(rng: Rng, text: string): { bytes: Uint8Array; label: string } {
  const cut = rng.int(Math.max(1, text.length));
  return rng.pick<() => { bytes: Uint8Array; label: string }>([
    () => ({ bytes: utf8(text.slice(0, cut)), label: `truncated at ${cut}` }),
    () => ({ bytes: utf8(`${text}}`), label: 'trailing brace' }),
    () => ({ bytes: utf8(`\uFEFF${text}`), label: 'byte order mark' }),
    () => ({ bytes: utf8(text.replace(/"/g, "'")), label: 'single quotes' }),
    () => ({ bytes: utf8(`/* c */${text}`), label: 'comment' }),
    () => ({ bytes: new Uint8Array(0), label: 'empty body' }),
    () => ({ bytes: utf8('null'), label: 'null body' }),
    () => ({ bytes: utf8('"just a string"'), label: 'string body' }),
    () => ({ bytes: utf8('[]'), label: 'array body' }),
    () => ({ bytes: Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]), Buffer.from(text.slice(cut))]), label: 'invalid UTF-8 bytes inside' }),
    () => ({ bytes: new Uint8Array(Buffer.from(text, 'utf16le')), label: 'UTF-16LE' }),
    () => ({ bytes: utf8(text.replace(/:/, ':\u0000')), label: 'raw NUL in text' }),
  ])();
}

/**
 * A JSON value as a request body: mostly sent as it should be (so the validator judges the value),
 * else with a wrong content type, as malformed text, or gzipped (validly or not).
 */
export function encodeJson(rng: Rng, value: FuzzJson, label: string): EncodedBody {
  const text = jsonText(value);
  return rng.weighted<() => EncodedBody>([
    [14, () => ({ bytes: utf8(text), headers: JSON_TYPE, label })],
    [
      2,
      () => {
        const type = rng.pick(CONTENT_TYPES);
        const headers: Record<string, string> = type ? { 'content-type': type } : {};
        return { bytes: utf8(text), headers, label: `${label}; content-type '${type.slice(0, 40)}'` };
      },
    ],
    [
      3,
      () => {
        const bad = malformed(rng, text);
        return { bytes: bad.bytes, headers: JSON_TYPE, label: `${label}; ${bad.label}` };
      },
    ],
    [
      2,
      () =>
        rng.pick<() => EncodedBody>([
          () => ({ bytes: new Uint8Array(gzipSync(text)), headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, label: `${label}; gzip` }),
          () => ({ bytes: utf8(text), headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, label: `${label}; not gzip but says so` }),
          () => ({ bytes: new Uint8Array(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from(text)])), headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, label: `${label}; broken gzip` }),
          () => ({ bytes: new Uint8Array(gzipSync(gzipSync(text))), headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, label: `${label}; gzip of gzip` }),
          () => ({ bytes: gzipBomb(), headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, label: 'gzip bomb (64 MiB of zeros)' }),
          () => ({ bytes: utf8(text), headers: { ...JSON_TYPE, 'content-encoding': rng.pick(['br', 'deflate', 'gzip, identity', 'x-gzip ', '\xff']) }, label: `${label}; odd content-encoding` }),
        ])(),
    ],
  ])();
}

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Uint8Array | string;
}

/** A multipart/form-data body written by hand, so it can be broken in ways FormData never is. */
export function multipartBody(parts: readonly MultipartPart[], boundary = 'fuzzBoundary7MA4YWxkTrZu0gW'): { bytes: Uint8Array; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename !== undefined ? `; filename="${part.filename}"` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n${part.contentType ? `Content-Type: ${part.contentType}\r\n` : ''}\r\n`, 'utf8'));
    chunks.push(Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { bytes: new Uint8Array(Buffer.concat(chunks)), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A multipart body from valid parts, sent as is or broken: no boundary, the wrong boundary, cut
 * short, a part without headers, or JSON under a multipart content type.
 */
export function encodeMultipart(rng: Rng, parts: readonly MultipartPart[], label: string): EncodedBody {
  const good = multipartBody(parts);
  const text = Buffer.from(good.bytes);
  return rng.weighted<() => EncodedBody>([
    [12, () => ({ bytes: good.bytes, headers: { 'content-type': good.contentType }, label })],
    [1, () => ({ bytes: good.bytes, headers: { 'content-type': 'multipart/form-data' }, label: `${label}; no boundary` })],
    [1, () => ({ bytes: good.bytes, headers: { 'content-type': 'multipart/form-data; boundary=other' }, label: `${label}; wrong boundary` })],
    [1, () => ({ bytes: new Uint8Array(text.subarray(0, rng.int(text.length))), headers: { 'content-type': good.contentType }, label: `${label}; cut short` })],
    [1, () => ({ bytes: new Uint8Array(Buffer.from(text.toString('latin1').replace(/Content-Disposition[^\r]*\r\n/, ''), 'latin1')), headers: { 'content-type': good.contentType }, label: `${label}; part without Content-Disposition` })],
    [1, () => ({ bytes: utf8('{"name":"x"}'), headers: { 'content-type': good.contentType }, label: 'JSON under a multipart content type' })],
    [1, () => ({ bytes: good.bytes, headers: { 'content-type': `multipart/form-data; boundary="${'b'.repeat(5_000)}"` }, label: `${label}; 5,000-char boundary` })],
    [1, () => ({ bytes: good.bytes, headers: { 'content-type': 'application/json' }, label: `${label}; sent as application/json` })],
  ])();
}

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADERS = {
  gateway: 'x-gateway-id',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
} as const;

/** What is signed: method, path, timestamp, nonce and the SHA-256 of the body bytes exactly as sent. */
export function canonicalRequest(method: string, path: string, timestamp: string, nonce: string, body: Uint8Array): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return `${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`;
}

export function sign(secret: string, canonical: string): string {
  return createHmac('sha256', secret).update(canonical).digest('hex');
}

/** Headers for one request, signed at `now` (the client passes its server-corrected clock). */
export function signedHeaders(gatewayId: string, secret: string, method: string, path: string, body: Uint8Array, now: number): Record<string, string> {
  const timestamp = String(Math.round(now));
  const nonce = randomBytes(16).toString('hex');
  return {
    [SIGNATURE_HEADERS.gateway]: gatewayId,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: sign(secret, canonicalRequest(method, path, timestamp, nonce, body)),
  };
}

/** Constant-time comparison of two hex signatures. */
export function signaturesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(given, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

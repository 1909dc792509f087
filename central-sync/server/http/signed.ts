import { z } from 'zod';
import { canonicalRequest, LIMITS, SIGNATURE_HEADERS, sign, signaturesMatch } from '../../wire';
import type { GatewayRow, Store } from '../store';
import { HttpError } from './errors';

const SignatureHeaders = z.object({
  [SIGNATURE_HEADERS.gateway]: z.string().min(1).max(128),
  [SIGNATURE_HEADERS.timestamp]: z.string().regex(/^\d{1,15}$/),
  [SIGNATURE_HEADERS.nonce]: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  [SIGNATURE_HEADERS.signature]: z.string().regex(/^[0-9a-fA-F]{64}$/),
});

/**
 * A nonce only has to be remembered while its request's timestamp is still acceptable: at most
 * maxClockSkewMs either side of the server clock, so twice that after it was first seen.
 */
export const NONCE_TTL_MS = 2 * LIMITS.maxClockSkewMs;

export interface SignedRequest {
  method: string;
  /** The protocol path (PATHS.*) the client signed, not a proxy-prefixed one. */
  path: string;
  header: (name: string) => string | undefined;
  rawBody: Uint8Array;
  now: number;
}

/**
 * Checks a gateway-signed request and returns its gateway. Order: headers, clock, gateway (read
 * fresh each time, so a revocation applies at once), HMAC over the raw bytes, then the nonce, which
 * is recorded in the database only once the signature holds (strangers cannot fill the table).
 */
export async function verifySignedRequest(store: Store, req: SignedRequest): Promise<GatewayRow> {
  const parsed = SignatureHeaders.safeParse(Object.fromEntries(Object.values(SIGNATURE_HEADERS).map((h) => [h, req.header(h)])));
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]!.path[0]);
    throw new HttpError(401, `missing or malformed signature header ${field}`, field);
  }
  const h = parsed.data;
  const timestamp = Number(h[SIGNATURE_HEADERS.timestamp]);
  if (Math.abs(req.now - timestamp) > LIMITS.maxClockSkewMs) {
    throw new HttpError(401, `timestamp is ${Math.round((timestamp - req.now) / 1000)} s off the server clock; correct the clock with serverTime`, SIGNATURE_HEADERS.timestamp);
  }
  const gateway = await store.getGateway(h[SIGNATURE_HEADERS.gateway]);
  if (!gateway) throw new HttpError(401, 'unknown gateway', SIGNATURE_HEADERS.gateway);
  if (gateway.revokedAt !== null) throw new HttpError(401, 'gateway revoked; enrol again', SIGNATURE_HEADERS.gateway);
  const expected = sign(gateway.secret, canonicalRequest(req.method, req.path, h[SIGNATURE_HEADERS.timestamp], h[SIGNATURE_HEADERS.nonce], req.rawBody));
  if (!signaturesMatch(expected, h[SIGNATURE_HEADERS.signature])) throw new HttpError(401, 'signature does not match', SIGNATURE_HEADERS.signature);
  if (!(await store.claimNonce(gateway.id, h[SIGNATURE_HEADERS.nonce], req.now))) throw new HttpError(401, 'nonce already used (replay)', SIGNATURE_HEADERS.nonce);
  return gateway;
}

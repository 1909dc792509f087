import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** Bearer and enrolment tokens: 256 random bits, URL-safe. Only their digest is stored. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** A gateway's HMAC key: 32 random bytes as hex. */
export const newGatewaySecret = (): string => randomBytes(32).toString('hex');

export const newGatewayId = (): string => `gw-${randomUUID()}`;

export const digest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Constant-time equality of two hex SHA-256 digests. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../config/load';

/** `mqtt.tls.caFile`, read and checked before the feed starts; a missing or unusable file is a configuration error naming the field. */
export function readCaFile(path: string): Buffer {
  const field = 'mqtt.tls.caFile';
  let ca: Buffer;
  try {
    ca = readFileSync(path);
  } catch (err) {
    throw new ConfigError(`${field}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`, field);
  }
  try {
    createSecureContext({ ca });
  } catch (err) {
    throw new ConfigError(`${field}: ${path} is not a usable PEM certificate: ${(err as NodeJS.ErrnoException).code ?? 'unusable'}`, field);
  }
  if (!ca.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`${field}: ${path} holds no PEM certificate`, field);
  return ca;
}

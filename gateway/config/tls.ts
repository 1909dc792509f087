import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { GatewayConfig } from './schema';
import { ConfigError } from './load';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

function readPem(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`${field}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, field);
  }
}

/**
 * The certificate and key of `api.tls`, read and checked to form a pair before anything starts; a
 * missing or unreadable file or a mismatched pair is a configuration error naming the field (never
 * the key's content).
 */
export function readTlsFiles(tls: GatewayConfig['api']['tls']): TlsFiles | undefined {
  if (!tls) return undefined;
  const files = { cert: readPem(tls.certPath, 'api.tls.certPath'), key: readPem(tls.keyPath, 'api.tls.keyPath') };
  try {
    createSecureContext(files);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unusable';
    throw new ConfigError(`api.tls: ${tls.certPath} and ${tls.keyPath} are not a usable certificate and private key (PEM): ${reason}`, 'api.tls');
  }
  return files;
}

import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { EnrolResponseSchema, ErrorResponseSchema, PATHS, RECORDS_WIRE_VERSION, type EnrolRequest } from '../wire';
import type { CentralChannel } from './channel';
import type { Credentials, UplinkLogger } from './types';

const CredentialsFileSchema = z.object({ gatewayId: z.string().min(1), secret: z.string().min(32), siteId: z.string().min(1), url: z.string().min(1) }).strict();

/** Refused by the server: retrying with the same token will not help until someone acts. */
export class EnrolmentRefused extends Error {
  override readonly name = 'EnrolmentRefused';
}

/** The stored credentials, or undefined when the file does not exist. A file readable by others is tightened to 0600. */
export function readCredentials(file: string, log?: UplinkLogger): Credentials | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = CredentialsFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`credentials file ${file} is not valid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  if ((statSync(file).mode & 0o077) !== 0) {
    log?.warn({ file }, 'credentials file was readable by others; set to 0600');
    chmodSync(file, 0o600);
  }
  return parsed.data;
}

/** Writes the file owner-only (0600) atomically: a crash leaves either the old file or the new one. */
export function writeCredentials(file: string, credentials: Credentials): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(credentials, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  const mode = statSync(file).mode & 0o777;
  if (mode !== 0o600) throw new Error(`credentials file ${file} has mode ${mode.toString(8)}, expected 600`);
}

/** One enrolment request: the token is exchanged for a gateway id and secret. */
export async function enrol(channel: CentralChannel, url: string, token: string, gatewayName: string | undefined, signal?: AbortSignal): Promise<Credentials> {
  const request: EnrolRequest = { version: RECORDS_WIRE_VERSION, token, ...(gatewayName ? { gatewayName: gatewayName.slice(0, 128) } : {}) };
  const res = await channel.post(PATHS.enrol, Buffer.from(JSON.stringify(request)), signal ? { signal } : {});
  if (res.status >= 200 && res.status < 300) {
    const ok = EnrolResponseSchema.safeParse(res.body);
    if (!ok.success) throw new Error('enrolment answer does not match the wire schema');
    return { gatewayId: ok.data.gatewayId, secret: ok.data.secret, siteId: ok.data.siteId, url };
  }
  const error = ErrorResponseSchema.safeParse(res.body);
  const message = `enrolment answered ${res.status}${error.success ? `: ${error.data.error}` : ''}`;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new EnrolmentRefused(message);
  throw new Error(message);
}

export interface CredentialSource {
  credentialsFile: string;
  enrolmentToken?: string | undefined;
  gatewayName?: string | undefined;
}

/**
 * Credentials from the file; without a file, enrols once with the token and writes the file, so
 * later starts read it and never enrol again.
 */
export async function loadOrEnrol(source: CredentialSource, channel: CentralChannel, url: string, log: UplinkLogger, signal?: AbortSignal): Promise<Credentials> {
  const stored = readCredentials(source.credentialsFile, log);
  if (stored) {
    if (stored.url.replace(/\/+$/, '') !== url.replace(/\/+$/, '')) log.warn({ file: source.credentialsFile }, 'credentials were issued by a different central URL than the one configured');
    return stored;
  }
  if (!source.enrolmentToken) throw new EnrolmentRefused(`no credentials file ${source.credentialsFile} and no enrolment token configured`);
  const credentials = await enrol(channel, url, source.enrolmentToken, source.gatewayName, signal);
  writeCredentials(source.credentialsFile, credentials);
  log.info({ gatewayId: credentials.gatewayId, siteId: credentials.siteId, file: source.credentialsFile }, 'enrolled with the central server');
  return credentials;
}

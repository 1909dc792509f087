import { signedHeaders } from '../wire';
import type { ServerClock } from './clock';
import type { Credentials, Transport } from './types';

export interface CentralResponse {
  status: number;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
  serverTime: number | undefined;
}

/** Thrown for failures below HTTP: refused, reset, timed out, aborted. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

/**
 * One HTTP exchange with the central server: signs with the server-corrected clock, enforces the
 * request timeout, and learns the clock offset from any `serverTime` in the answer.
 */
export class CentralChannel {
  private readonly base: string;

  constructor(
    url: string,
    private readonly transport: Transport,
    readonly clock: ServerClock,
    private readonly timeoutMs: number,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  async post(path: string, body: Uint8Array, options: { credentials?: Credentials; gzip?: boolean; signal?: AbortSignal } = {}): Promise<CentralResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.gzip) headers['content-encoding'] = 'gzip';
    const sentAt = this.clock.local();
    if (options.credentials) Object.assign(headers, signedHeaders(options.credentials.gatewayId, options.credentials.secret, 'POST', path, body, this.clock.now()));
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let status: number;
    let text: string;
    try {
      const res = await this.transport(`${this.base}${path}`, { method: 'POST', headers, body, signal });
      status = res.status;
      text = await res.text();
    } catch (err) {
      if (timeout.aborted) throw new NetworkError(`no answer within ${this.timeoutMs} ms`);
      throw new NetworkError(describeNetworkError(err));
    }
    const receivedAt = this.clock.local();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const serverTime = typeof parsed === 'object' && parsed !== null && 'serverTime' in parsed && typeof parsed.serverTime === 'number' ? parsed.serverTime : undefined;
    if (serverTime !== undefined) this.clock.learn(serverTime, sentAt, receivedAt);
    return { status, body: parsed, serverTime };
  }
}

/** fetch hides the reason in `cause` ("fetch failed" / ECONNREFUSED): name both. */
function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return cause ? `${err.message}: ${code ?? cause.message}` : err.message;
}

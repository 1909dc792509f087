import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { Backoff } from '../../streams/camera/backoff';
import { maskCredentials } from '../../streams/camera/redact';
import type { MqttConfig } from './config';
import { readCaFile } from './tls';

export interface ConnectionHandlers {
  connected(): void;
  disconnected(): void;
}

export interface ReconnectTiming {
  initialMs: number;
  maxMs: number;
}

/** 1 s, doubling to 30 s, ±20 %: a broker down for the night is asked about twice a minute. */
export const DEFAULT_RECONNECT: ReconnectTiming = { initialMs: 1000, maxMs: 30_000 };

/** An error's text for the log: no password (even one a library echoed), no URL credentials. */
export function safeErrorText(err: unknown, password: string | undefined): string {
  const e = err as { code?: unknown; message?: unknown };
  let text = `${typeof e?.message === 'string' ? e.message : String(err)}${typeof e?.code === 'string' ? ` (${e.code})` : ''}`;
  if (password) text = text.split(password).join('***');
  return maskCredentials(text);
}

/**
 * The client side of the feed: one mqtt.js client, the last will on the availability topic, and
 * reconnection with exponential backoff (mqtt.js's own reconnects run at a fixed period, so they are
 * off and this schedules each attempt). Never throws after construction; errors are logged without
 * secrets: the first failure of an outage at warn, each further attempt at debug.
 */
export class BrokerConnection {
  private readonly client: MqttClient;
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | undefined;
  private closing = false;
  private failures = 0;
  private lastError: string | undefined;
  readonly host: string;

  constructor(
    private readonly config: MqttConfig,
    will: { topic: string; payload: string },
    clientIdBase: string,
    private readonly handlers: ConnectionHandlers,
    private readonly log: Logger,
    timing: ReconnectTiming = DEFAULT_RECONNECT,
  ) {
    this.host = new URL(config.url).host;
    this.backoff = new Backoff(timing.initialMs, timing.maxMs, 0.2);
    const ca = config.tls?.caFile ? readCaFile(config.tls.caFile) : undefined;
    const options: IClientOptions = {
      clientId: config.clientId ?? `${clientIdBase}-${randomBytes(3).toString('hex')}`,
      clean: true,
      keepalive: config.keepaliveSeconds,
      connectTimeout: 10_000,
      reconnectPeriod: 0,
      queueQoSZero: false,
      will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true },
      ...(config.username !== undefined ? { username: config.username } : {}),
      ...(config.password !== undefined ? { password: config.password } : {}),
      ...(config.tls ? { rejectUnauthorized: config.tls.rejectUnauthorized, ...(ca ? { ca } : {}) } : {}),
    };
    this.client = mqtt.connect(config.url, options);
    this.client.on('connect', () => {
      this.backoff.reset();
      if (this.failures > 0) this.log.info({ broker: this.host, failedAttempts: this.failures }, 'mqtt feed connected again');
      else this.log.info({ broker: this.host }, 'mqtt feed connected');
      this.failures = 0;
      this.lastError = undefined;
      this.handlers.connected();
    });
    // mqtt.js reports socket errors and refusals (bad credentials, TLS) here, before the close that follows.
    this.client.on('error', (err) => {
      this.lastError = safeErrorText(err, this.config.password);
    });
    this.client.on('close', () => {
      this.handlers.disconnected();
      if (this.closing) return;
      this.failed();
      this.schedule();
    });
  }

  get connected(): boolean {
    return this.client.connected;
  }

  publish(topic: string, payload: string, opts: { qos: 0 | 1; retain: boolean }, done: (err?: Error) => void): void {
    try {
      this.client.publish(topic, payload, opts, (err) => done(err));
    } catch (err) {
      done(err as Error);
    }
  }

  /** Ends the connection (DISCONNECT when connected; no last will is sent for a clean end). */
  end(): Promise<void> {
    this.closing = true;
    clearTimeout(this.timer);
    return new Promise((resolve) => {
      const force = !this.client.connected;
      const guard = setTimeout(() => this.client.end(true, () => resolve()), 2000);
      guard.unref();
      this.client.end(force, () => {
        clearTimeout(guard);
        resolve();
      });
    });
  }

  /** The first close of an outage is a warning; each failed attempt after it is logged at debug. */
  private failed(): void {
    this.failures++;
    const error = this.lastError ?? 'connection closed';
    this.lastError = undefined;
    if (this.failures === 1) this.log.warn({ broker: this.host, error }, 'mqtt feed not connected to its broker; events queue up to mqtt.queueLimit');
    else this.log.debug({ broker: this.host, error, failures: this.failures }, 'mqtt feed reconnect attempt failed');
  }

  private schedule(): void {
    if (this.closing || this.timer) return;
    const delay = this.backoff.next();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closing) this.client.reconnect();
    }, delay);
    this.timer.unref();
  }
}

import type { Heartbeat } from '../wire';

export type Awaitable<T> = T | Promise<T>;

/** One unsent record as the outbox holds it; the client checks it against the wire before sending. */
export interface OutboxRecord {
  seq: number;
  kind: string;
  /** When the record was written (ms since the epoch). */
  at: number;
  payload: unknown;
}

export interface OutboxStats {
  /** Records waiting to be sent. */
  backlog: number;
  /** created_at of the oldest waiting record, null when none wait. */
  oldestCreatedAt: number | null;
  /** Records that will never be delivered: dropped by the outbox bound or dead-lettered. */
  dropped: number;
}

/** Where the uplink reads from. Implementations must keep a record until it is acked or dead-lettered. */
export interface OutboxSource {
  /**
   * The next records ordered by (priority, seq): at most `maxRecords`, and no more than `maxBytes`
   * of serialised payload, except that the first record is always returned.
   */
  peek(maxRecords: number, maxBytes: number): Awaitable<OutboxRecord[]>;
  /** The server has stored these: delete them. */
  ack(seqs: readonly number[]): Awaitable<void>;
  /** The server (or the wire schema) refused this record: move it aside so it never blocks the rest. */
  deadLetter(seq: number, reason: string): Awaitable<void>;
  stats(): Awaitable<OutboxStats>;
  /**
   * Whether the outbox's sequence numbers are known to continue this gateway's on the server. When
   * not (a new or replaced database), the uplink asks the server for its highest stored sequence and
   * calls `continueAfter` before sending anything.
   */
  sequenceOwnedBy?(gatewayId: string): Awaitable<boolean>;
  /** Renumbers unsent records (order kept) and future ones above `highestSeq`, and records the owner. */
  continueAfter?(gatewayId: string, highestSeq: number): Awaitable<void>;
}

export interface Credentials {
  gatewayId: string;
  secret: string;
  siteId: string;
  /** The central server these credentials belong to. */
  url: string;
}

export interface TransportRequest {
  method: 'POST';
  headers: Record<string, string>;
  body: Uint8Array;
  signal: AbortSignal;
}

export interface TransportResponse {
  status: number;
  text(): Promise<string>;
}

/** The subset of `fetch` the client uses; global fetch satisfies it. */
export type Transport = (url: string, init: TransportRequest) => Promise<TransportResponse>;

/** pino-compatible. Never given a secret, a token or a signature. */
export interface UplinkLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type HeartbeatCamera = Heartbeat['cameras'][number];

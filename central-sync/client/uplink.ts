import { ErrorResponseSchema, HeartbeatResponseSchema, IngestResponseSchema, LIMITS, PATHS, WIRE_VERSION, type Heartbeat, type PerfSummary, type SyncRecord } from '../wire';
import { HeartbeatVersion } from './heartbeat-version';
import { FullJitterBackoff, type BackoffOptions } from './backoff';
import { checkRecords, encodeBatch } from './batch';
import { CentralChannel, NetworkError, type CentralResponse } from './channel';
import { ServerClock } from './clock';
import { loadOrEnrol, type CredentialSource } from './credentials';
import { isServerFailure, PoisonIsolation } from './isolation';
import { heldReason, refusedForClock, screenTimes } from './times';
import { createTransport } from './transport';
import type { Credentials, HeartbeatCamera, OutboxSource, Transport, UplinkLogger } from './types';

export interface UplinkOptions {
  /** Base URL of the central server (scheme, host, port). */
  url: string;
  source: OutboxSource;
  /** Fixed credentials, or where to read them (enrolling once with the token when the file is missing). */
  credentials: Credentials | CredentialSource;
  /** Defaults to global fetch. */
  transport?: Transport;
  /** Local wall clock (ms); the uplink adds the offset it learns from the server. */
  clock?: () => number;
  log: UplinkLogger;
  /** Camera states for the heartbeat. */
  cameras?: () => HeartbeatCamera[];
  /** The performance summary for a version 3 heartbeat (undefined: none this time; a throwing provider sends none). */
  perf?: () => PerfSummary | undefined;
  /** How long a version 3 heartbeat refused by an older central is not tried again (default 1 h). */
  legacyHoldMs?: number;
  batchRecords?: number;
  /** Serialised payload bytes per batch, before gzip. */
  batchBytes?: number;
  timeoutMs?: number;
  heartbeatMs?: number;
  /** How long to wait when the outbox is empty (`wake()` cuts it short). */
  idleMs?: number;
  backoff?: BackoffOptions;
}

export interface UplinkStatus {
  state: 'stopped' | 'enrolling' | 'running';
  gatewayId: string | null;
  /** The last exchange with the server succeeded. */
  connected: boolean;
  lastError: string | null;
  lastErrorAt: number | null;
  lastSuccessAt: number | null;
  /** Records acknowledged by the server since start. */
  sent: number;
  /** Records dead-lettered since start. */
  deadLettered: number;
  clockOffsetMs: number;
}

type Outcome = 'progress' | 'idle' | 'failed';
type NextBatch = { kind: 'idle' } | { kind: 'send'; records: SyncRecord[] } | { kind: 'held'; reason: string };

/** Well under LIMITS.maxBodyBytes even before gzip, and far under the server's inflate limit. */
const DEFAULT_BATCH_BYTES = 3 * 2 ** 20;

/**
 * Store-and-forward delivery of an outbox to the central server, at least once: a batch is acked
 * (deleted from the outbox) only after a 2xx, and the server is idempotent on (gateway, seq), so a
 * resend after a lost answer or a crash stores nothing twice. One batch is in flight at a time,
 * read in (priority, seq) order, so records of equal priority arrive in seq order, except a record
 * set aside while central keeps answering 5xx for it (see PoisonIsolation), which may follow later ones.
 */
export class Uplink {
  private readonly channel: CentralChannel;
  private readonly backoff: FullJitterBackoff;
  private readonly stopper = new AbortController();
  private readonly isolation = new PoisonIsolation();
  private readonly heartbeatVersion: HeartbeatVersion;
  private readonly batchRecords: number;
  private readonly batchBytes: number;
  private batchLimit: number;
  private credentials: Credentials | undefined;
  private sequenceAligned = false;
  private running = false;
  private delivery: Promise<void> | undefined;
  private heartbeats: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly current: UplinkStatus = {
    state: 'stopped',
    gatewayId: null,
    connected: false,
    lastError: null,
    lastErrorAt: null,
    lastSuccessAt: null,
    sent: 0,
    deadLettered: 0,
    clockOffsetMs: 0,
  };

  constructor(private readonly options: UplinkOptions) {
    this.channel = new CentralChannel(options.url, options.transport ?? createTransport(), new ServerClock(options.clock ?? Date.now), options.timeoutMs ?? 15_000);
    this.backoff = new FullJitterBackoff(options.backoff);
    this.batchRecords = Math.min(options.batchRecords ?? 500, LIMITS.maxRecordsPerBatch);
    this.batchBytes = Math.min(options.batchBytes ?? DEFAULT_BATCH_BYTES, LIMITS.maxBodyBytes);
    this.batchLimit = this.batchRecords;
    this.heartbeatVersion = new HeartbeatVersion(options.legacyHoldMs);
  }

  start(): void {
    if (this.running || this.stopper.signal.aborted) return;
    this.running = true;
    this.current.state = 'running';
    this.delivery = this.deliverLoop();
  }

  /** Stops sending; a batch in flight is abandoned and stays in the outbox, to be resent next time. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopper.abort();
    await this.delivery;
    await this.heartbeats;
    this.current.state = 'stopped';
    this.current.connected = false;
  }

  /** New records were written: end an idle wait now. */
  wake(): void {
    this.wakeUp?.();
  }

  status(): UplinkStatus {
    return { ...this.current, clockOffsetMs: this.channel.clock.offsetMs };
  }

  private async deliverLoop(): Promise<void> {
    while (this.running) {
      const credentials = this.credentials ?? (await this.obtainCredentials());
      if (!credentials) {
        await this.pause(this.retryDelay());
        continue;
      }
      let outcome: Outcome;
      try {
        outcome = this.sequenceAligned ? await this.deliverOnce(credentials) : await this.alignSequence(credentials);
      } catch (err) {
        if (!this.running) break;
        this.isolation.interrupted();
        this.fail(err instanceof NetworkError ? err.message : `outbox: ${(err as Error).message}`);
        outcome = 'failed';
      }
      if (outcome === 'idle') await this.pause(this.options.idleMs ?? 1000, true);
      else if (outcome === 'failed') await this.pause(this.retryDelay());
    }
  }

  /** Reads (or enrols for) the credentials and starts the heartbeat; undefined on failure. */
  private async obtainCredentials(): Promise<Credentials | undefined> {
    const given = this.options.credentials;
    let credentials: Credentials;
    try {
      if ('secret' in given) credentials = given;
      else {
        this.current.state = 'enrolling';
        credentials = await loadOrEnrol(given, this.channel, this.options.url, this.options.log, this.stopper.signal);
      }
    } catch (err) {
      this.fail(`credentials: ${(err as Error).message}`);
      return undefined;
    }
    this.credentials = credentials;
    this.current.state = 'running';
    this.current.gatewayId = credentials.gatewayId;
    this.backoff.reset();
    this.heartbeats = this.heartbeatLoop(credentials);
    return credentials;
  }

  /**
   * An outbox that does not know it continues this gateway's numbering (a new or replaced database)
   * first asks the server, by a heartbeat, for the highest sequence it stored, and numbers above it:
   * records restarting at 1 would be taken for resends and silently dropped.
   */
  private async alignSequence(credentials: Credentials): Promise<Outcome> {
    const { source } = this.options;
    if (!source.sequenceOwnedBy || !source.continueAfter || (await source.sequenceOwnedBy(credentials.gatewayId))) {
      this.sequenceAligned = true;
      return 'progress';
    }
    const highestSeq = await this.heartbeat(credentials);
    if (highestSeq === undefined) return 'failed';
    await source.continueAfter(credentials.gatewayId, highestSeq);
    this.options.log.info({ gatewayId: credentials.gatewayId, highestSeq }, 'outbox numbering continues above the highest sequence central holds');
    this.sequenceAligned = true;
    return 'progress';
  }

  private async deliverOnce(credentials: Credentials): Promise<Outcome> {
    const next = await this.nextBatch();
    if (next.kind === 'idle') return 'idle';
    if (next.kind === 'held') return this.hold(next.reason);
    const { records } = next;
    if (records.length === 0) return 'progress';
    const body = await encodeBatch(credentials.gatewayId, records);
    if (body.byteLength > LIMITS.maxBodyBytes) return this.shrink(records, `batch of ${records.length} records is ${body.byteLength} bytes gzip'd, over ${LIMITS.maxBodyBytes}`);
    const res = await this.postSigned(PATHS.ingest, () => body, credentials, true);
    if (res.status >= 200 && res.status < 300) {
      await this.options.source.ack(records.map((r) => r.seq));
      this.isolation.accepted(records);
      const answer = IngestResponseSchema.safeParse(res.body);
      this.succeeded();
      this.current.sent += records.length;
      // Doubling back (not jumping) to full size: a batch halved around a failing record grows again
      // without landing on that record at full size each time.
      this.batchLimit = Math.min(this.batchRecords, this.batchLimit * 2);
      if (answer.success && answer.data.duplicates > 0) this.options.log.info({ duplicates: answer.data.duplicates, stored: answer.data.stored }, 'central already had some records of this batch (a resend)');
      return 'progress';
    }
    const error = ErrorResponseSchema.safeParse(res.body);
    const detail = error.success ? error.data : undefined;
    const index = detail?.record;
    const bad = res.status === 400 && index !== undefined ? records[index] : undefined;
    if (bad && refusedForClock(bad, index!, detail?.field, this.channel.clock)) return this.hold(heldReason(this.channel.clock, bad.seq, detail?.field ?? 'time'));
    if (bad) {
      this.current.connected = true;
      await this.deadLetter(bad.seq, `central refused: ${detail?.error ?? 'invalid'}`, { record: index, kind: bad.kind, field: detail?.field });
      return 'progress';
    }
    if (res.status === 413) return this.shrink(records, `central refused the batch as too large: ${detail?.error ?? ''}`);
    if (isServerFailure(res.status)) return this.isolate(records, res.status, detail?.error);
    // A 400 naming no record refuses the batch as a whole (version, gateway id): dead-lettering
    // records one by one would empty the outbox for a problem none of them has, so back off.
    this.isolation.interrupted();
    this.fail(`central answered ${res.status}${detail ? `: ${detail.error}` : ''}`);
    return 'failed';
  }

  /**
   * What to send next: a set-aside record due to be judged alone, else the head of the outbox less
   * set-aside records, dead-lettering what the wire schema refuses, and stopping before a record
   * the gateway's clock dates ahead of central's (see screenTimes).
   */
  private async nextBatch(): Promise<NextBatch> {
    const due = this.isolation.due();
    if (due) return { kind: 'send', records: [due] };
    const aside = this.isolation.setAside;
    const rows = await this.options.source.peek(this.batchLimit + aside.size, this.batchBytes);
    if (rows.length === 0) return { kind: 'idle' };
    const { records, invalid } = checkRecords(rows);
    for (const bad of invalid) await this.deadLetter(bad.seq, bad.reason, {});
    const screened = screenTimes(records, this.channel.clock);
    const batch = screened.send.filter((r) => !aside.has(r.seq)).slice(0, this.batchLimit);
    if (batch.length > 0) return { kind: 'send', records: batch };
    if (screened.held) return { kind: 'held', reason: screened.held };
    // Only set-aside records are left: retry one alone (it is judged only once central stores something else).
    return { kind: 'send', records: screened.send.slice(0, 1) };
  }

  /** Central answered a server failure for this batch: retry, halve it, set a record aside or dead-letter it (PoisonIsolation). */
  private async isolate(records: SyncRecord[], status: number, detail: string | undefined): Promise<Outcome> {
    const message = `central answered ${status}${detail ? `: ${detail}` : ''}`;
    const action = this.isolation.failed(records);
    const first = records[0]!;
    if (action === 'dead-letter') {
      this.current.connected = true;
      await this.deadLetter(first.seq, `central answered ${status} for this record alone right after storing other records, after setting it aside for the same: isolated (${message})`, { kind: first.kind });
      return 'progress';
    }
    if (action === 'split') {
      this.batchLimit = Math.max(1, Math.floor(records.length / 2));
      this.options.log.warn({ records: records.length, nextBatch: this.batchLimit, status }, 'central keeps failing this batch; retrying in halves to find the record it fails on');
    }
    if (action === 'set-aside') this.options.log.warn({ seq: first.seq, kind: first.kind, status }, 'central keeps failing this record alone; set aside while the records behind it are sent');
    this.fail(message);
    return 'failed';
  }

  /**
   * A 401 whose answer carried serverTime may be our clock: the offset was just learnt, so try once
   * more, with the body made again (a heartbeat's time comes from the corrected clock).
   */
  private async postSigned(path: string, body: () => Uint8Array, credentials: Credentials, gzip: boolean): Promise<CentralResponse> {
    const send = () => this.channel.post(path, body(), { credentials, gzip, signal: this.stopper.signal });
    const first = await send();
    if (first.status !== 401 || first.serverTime === undefined) return first;
    this.options.log.warn({ path, clockOffsetMs: this.channel.clock.offsetMs }, 'central refused the signature; retrying once with the server-corrected clock');
    return send();
  }

  /** Too large: halve the batch; a single record too large to ever send is dead-lettered. */
  private async shrink(records: SyncRecord[], reason: string): Promise<Outcome> {
    if (records.length === 1) {
      await this.deadLetter(records[0]!.seq, reason, { kind: records[0]!.kind });
      return 'progress';
    }
    this.batchLimit = Math.max(1, Math.floor(records.length / 2));
    this.options.log.warn({ records: records.length, nextBatch: this.batchLimit, reason }, 'batch too large; retrying in smaller batches');
    return 'progress';
  }

  private async deadLetter(seq: number, reason: string, context: { record?: number | undefined; kind?: string | undefined; field?: string | undefined }): Promise<void> {
    await this.options.source.deadLetter(seq, reason);
    this.isolation.forget(seq);
    this.current.deadLettered++;
    this.options.log.error({ seq, ...context, reason }, 'record dead-lettered: it will not be sent again');
  }

  private async heartbeatLoop(credentials: Credentials): Promise<void> {
    while (this.running) {
      try {
        await this.heartbeat(credentials);
      } catch (err) {
        if (!this.running) break;
        this.current.connected = false;
        this.options.log.debug({ error: (err as Error).message }, 'heartbeat failed');
      }
      await this.pause(this.options.heartbeatMs ?? 30_000);
    }
  }

  /** Sends one heartbeat; answers the server's highest stored sequence (0 from a server that does not say), undefined on failure. */
  private async heartbeat(credentials: Credentials): Promise<number | undefined> {
    const stats = await this.options.source.stats();
    let version = this.heartbeatVersion.current(this.channel.clock.local());
    // Sampled once per heartbeat (its rates cover the interval since the last), however often the body is made.
    const summary = version === WIRE_VERSION ? this.perfSummary() : undefined;
    const beat = (): Uint8Array => {
      const perf = version === WIRE_VERSION ? summary : undefined;
      const body: Heartbeat = {
        version,
        gatewayId: credentials.gatewayId,
        at: Math.max(0, Math.round(this.channel.clock.now())),
        cameras: (this.options.cameras?.() ?? []).slice(0, 1000),
        backlog: stats.backlog,
        oldestUnsentAt: stats.oldestCreatedAt,
        dropped: stats.dropped,
        ...(perf ? { perf } : {}),
      };
      return Buffer.from(JSON.stringify(body));
    };
    let res = await this.postSigned(PATHS.heartbeat, beat, credentials, false);
    let error = ErrorResponseSchema.safeParse(res.body);
    if (this.heartbeatVersion.refused(version, res.status, error.data?.field, error.data?.error, this.channel.clock.local())) {
      this.options.log.warn({ status: res.status, error: error.data?.error }, 'central refused a version 3 heartbeat (an older central); sending version 2 heartbeats without the performance summary for a while');
      version = this.heartbeatVersion.current(this.channel.clock.local());
      res = await this.postSigned(PATHS.heartbeat, beat, credentials, false);
      error = ErrorResponseSchema.safeParse(res.body);
    }
    if (res.status >= 200 && res.status < 300) {
      this.current.connected = true;
      const answer = HeartbeatResponseSchema.safeParse(res.body);
      return answer.success ? (answer.data.highestSeq ?? 0) : 0;
    }
    this.fail(`heartbeat answered ${res.status}${error.success ? `: ${error.data.error}` : ''}`);
    return undefined;
  }

  /** The provider's summary; a provider that throws costs the summary, never the heartbeat. */
  private perfSummary(): PerfSummary | undefined {
    try {
      return this.options.perf?.();
    } catch (err) {
      this.options.log.debug({ error: (err as Error).message }, 'performance summary failed; heartbeat sent without it');
      return undefined;
    }
  }

  private succeeded(): void {
    if (this.backoff.attempts > 0) this.options.log.info({ failedAttempts: this.backoff.attempts }, 'central sync delivering again');
    this.backoff.reset();
    this.current.connected = true;
    this.current.lastSuccessAt = this.channel.clock.local();
  }

  /** Records wait for central's clock to catch up with the gateway's: shown as the last error, retried with backoff, the connection still good. */
  private hold(reason: string): Outcome {
    this.current.lastError = reason;
    this.current.lastErrorAt = this.channel.clock.local();
    return 'failed';
  }

  private fail(message: string): void {
    this.current.connected = false;
    this.current.lastError = message;
    this.current.lastErrorAt = this.channel.clock.local();
  }

  private retryDelay(): number {
    const delay = this.backoff.next();
    this.options.log.warn({ error: this.current.lastError, attempt: this.backoff.attempts, retryInMs: delay }, 'central sync failed; backing off');
    return delay;
  }

  /** Resolves after `ms`, at stop, or (if wakeable) at wake(). */
  private pause(ms: number, wakeable = false): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stopper.signal.removeEventListener('abort', done);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stopper.signal.addEventListener('abort', done, { once: true });
      if (wakeable) this.wakeUp = done;
    });
  }
}

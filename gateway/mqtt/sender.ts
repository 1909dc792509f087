import type { BrokerConnection } from './connection';
import type { FeedMetrics } from './metrics';
import type { OutMessage, PendingMessages } from './pending';

/** Messages handed to the client at once; more wait in the bounded queue (memory stays bounded however slow the broker). */
export const MAX_IN_FLIGHT = 64;

/**
 * Hands queued messages to the MQTT client on a later tick than the caller's (never on the frame
 * path), at most MAX_IN_FLIGHT unconfirmed at a time; takes back what the client had not confirmed
 * when the connection drops, and retries a message the broker refused up to three times.
 */
export class Sender {
  private readonly inFlight = new Set<{ m: OutMessage; settled: boolean }>();
  private scheduled = false;
  private retrying: OutMessage[] = [];
  /** Set when the feed closes: failures are then counted as `closed`, nothing is retried. */
  closing = false;

  constructor(
    private readonly connection: Pick<BrokerConnection, 'connected' | 'publish'>,
    private readonly pending: PendingMessages,
    private readonly metrics: FeedMetrics,
    private readonly onDelivered: (m: OutMessage) => void,
  ) {}

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  schedule(): void {
    if (this.scheduled || !this.connection.connected) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  drain(): void {
    while (this.connection.connected && this.inFlight.size < MAX_IN_FLIGHT) {
      const m = this.pending.next();
      if (!m) return;
      this.send(m);
    }
  }

  /** The connection dropped: unconfirmed messages go back to the front of the queue (QoS 1 events may then arrive twice). */
  takeBack(): void {
    const entries = [...this.inFlight];
    this.inFlight.clear();
    for (const entry of entries) {
      entry.settled = true;
      this.retry(entry.m);
    }
  }

  private send(m: OutMessage): void {
    const entry = { m, settled: false };
    this.inFlight.add(entry);
    this.connection.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain }, (err) => {
      if (entry.settled) return;
      entry.settled = true;
      this.inFlight.delete(entry);
      if (err) this.retry(m);
      else {
        this.metrics.count(m.kind, Buffer.byteLength(m.payload));
        this.onDelivered(m);
      }
      this.schedule();
    });
  }

  /**
   * A message that was in flight when its connection dropped, or that the client failed, is sent
   * again ahead of the queue; one that failed three times (a message the broker disconnects for
   * would otherwise loop forever) is dropped as `rejected`. mqtt.js fails unconfirmed messages one
   * by one, so they are gathered and put back together, in their order, once it is done.
   */
  private retry(m: OutMessage): void {
    m.attempts++;
    if (this.closing || m.attempts >= 3) {
      this.metrics.dropped.inc({ reason: this.closing ? 'closed' : 'rejected' });
      return;
    }
    if (this.retrying.length === 0) {
      queueMicrotask(() => {
        const batch = this.retrying;
        this.retrying = [];
        this.pending.returnToFront(batch);
        this.schedule();
      });
    }
    this.retrying.push(m);
  }
}

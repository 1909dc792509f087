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
    const back = [...this.inFlight].map((entry) => {
      entry.settled = true;
      return entry.m;
    });
    this.inFlight.clear();
    if (back.length > 0 && !this.closing) this.pending.returnToFront(back);
  }

  private send(m: OutMessage): void {
    const entry = { m, settled: false };
    this.inFlight.add(entry);
    this.connection.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain }, (err) => {
      if (entry.settled) return;
      entry.settled = true;
      this.inFlight.delete(entry);
      if (err) this.failed(m);
      else {
        this.metrics.count(m.kind, Buffer.byteLength(m.payload));
        this.onDelivered(m);
      }
      this.schedule();
    });
  }

  private failed(m: OutMessage): void {
    if (!this.connection.connected && !this.closing) return this.pending.returnToFront([m]);
    m.attempts++;
    if (m.attempts < 3 && !this.closing) this.pending.returnToFront([m]);
    else this.metrics.dropped.inc({ reason: this.closing ? 'closed' : 'rejected' });
  }
}

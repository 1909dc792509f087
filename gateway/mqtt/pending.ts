export type MessageKind = 'event' | 'camera_state' | 'zone' | 'availability';

export interface OutMessage {
  kind: MessageKind;
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
  /** Events with face data (includeFaceData on): audited once the broker has them. */
  faceData?: { uid: string; fields: string[] };
  /** Times it was in flight when its connection dropped or the client failed it (at three it is dropped). */
  attempts: number;
}

/**
 * What waits to be handed to the MQTT client: events in order, bounded (a full queue refuses new
 * ones), and retained state by topic (only the newest value of a topic matters, so it replaces an
 * unsent older one; they are bounded by the number of cameras and zones). Retained state goes first.
 */
export class PendingMessages {
  private events: OutMessage[] = [];
  private head = 0;
  private readonly retained = new Map<string, OutMessage>();

  constructor(private readonly limit: number) {}

  get eventCount(): number {
    return this.events.length - this.head;
  }

  get depth(): number {
    return this.eventCount + this.retained.size;
  }

  /** False when the queue is full (the caller counts the drop). */
  pushEvent(m: OutMessage): boolean {
    if (this.eventCount >= this.limit) return false;
    this.events.push(m);
    return true;
  }

  /** Returns true when it replaced an unsent older value of the same topic. */
  setRetained(m: OutMessage): boolean {
    const replaced = this.retained.delete(m.topic);
    this.retained.set(m.topic, m);
    return replaced;
  }

  /**
   * Messages taken back from the client (the connection closed before they were sent or
   * acknowledged) go ahead of the rest, in their order; retained ones only if no newer value waits.
   * They may take the event queue past its limit by at most what was in flight.
   */
  returnToFront(messages: readonly OutMessage[]): void {
    const events = messages.filter((m) => m.kind === 'event');
    for (const m of messages) if (m.kind !== 'event' && m.kind !== 'availability' && !this.retained.has(m.topic)) this.retained.set(m.topic, m);
    if (events.length > 0) {
      this.events = [...events, ...this.events.slice(this.head)];
      this.head = 0;
    }
  }

  next(): OutMessage | undefined {
    const first = this.retained.entries().next();
    if (!first.done) {
      this.retained.delete(first.value[0]);
      return first.value[1];
    }
    if (this.head >= this.events.length) return undefined;
    const m = this.events[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    return m;
  }

  /** Empties the queue, returning how many events and retained values were waiting. */
  clear(): { events: number; retained: number } {
    const counts = { events: this.eventCount, retained: this.retained.size };
    this.events = [];
    this.head = 0;
    this.retained.clear();
    return counts;
  }
}

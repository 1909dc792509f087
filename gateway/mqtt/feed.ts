import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CameraHealth } from '../../streams';
import type { LiveZone } from '../pipeline/rules';
import type { AuditEntry } from '../store';
import type { MqttConfig } from './config';
import { BrokerConnection, type ReconnectTiming } from './connection';
import { feedMetrics, type FeedMetrics } from './metrics';
import { cameraStateMessage, EventMessages, zoneReading, type StartedEvent } from './payloads';
import { PendingMessages, type OutMessage } from './pending';
import { Sender } from './sender';
import { defaultTopicPrefix, feedTopics, type FeedTopics } from './topics';

export interface CameraZones {
  cameraId: string;
  zones: readonly LiveZone[];
}

export interface MqttFeedDeps {
  siteId: string;
  log: Logger;
  /** The gateway's metrics registry: the feed registers gateway_mqtt_* in it. */
  registry: Registry;
  /** Face data published (includeFaceData) is audited here. */
  audit: { record(e: AuditEntry): void };
  /** Polled every statsIntervalSeconds: each camera's zones now (CameraPipeline.live().zones). */
  zones: () => readonly CameraZones[];
  now?: () => number;
  /** Tests shorten the reconnect backoff. */
  reconnect?: ReconnectTiming;
}

export interface MqttFeedStatus {
  connected: boolean;
  queueDepth: number;
  inFlight: number;
}

const AUDIT_USER = 'system:mqtt';

/**
 * The local event feed: events, camera states and zone readings published to an MQTT broker. Every
 * method the service calls returns at once and never throws (messages are queued and sent on a
 * later tick); while the broker is unreachable, events queue up to `queueLimit` and the rest are
 * dropped and counted, retained state keeps its newest value, and all of it goes out on reconnect.
 */
export class MqttFeed {
  private readonly topics: FeedTopics;
  private readonly pending: PendingMessages;
  /** The newest value of every retained topic, sent again after each reconnect (the broker may have lost it). */
  private readonly retained = new Map<string, OutMessage>();
  private readonly zoneReadings = new Map<string, string>();
  private readonly messages: EventMessages;
  private readonly metrics: FeedMetrics;
  private readonly connection: BrokerConnection;
  private readonly sender: Sender;
  private readonly statsTimer: NodeJS.Timeout;
  private readonly now: () => number;
  private closing = false;

  static start(config: MqttConfig, deps: MqttFeedDeps): MqttFeed {
    return new MqttFeed(config, deps);
  }

  private constructor(
    private readonly config: MqttConfig,
    private readonly deps: MqttFeedDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.topics = feedTopics(config.topicPrefix ?? defaultTopicPrefix(deps.siteId));
    this.pending = new PendingMessages(config.queueLimit);
    this.messages = new EventMessages(config.includeFaceData);
    // First, as it throws on an unusable tls.caFile (before anything is registered); its events come later.
    const handlers = { connected: () => this.onConnected(), disconnected: () => this.sender.takeBack() };
    this.connection = new BrokerConnection(config, { topic: this.topics.availability, payload: 'offline' }, `gateway-${deps.siteId}`, handlers, deps.log, deps.reconnect);
    this.metrics = feedMetrics(deps.registry, { connected: () => this.connection.connected, queueDepth: () => this.pending.depth + this.sender.inFlightCount });
    this.sender = new Sender(this.connection, this.pending, this.metrics, (m) => this.delivered(m));
    if (config.includeFaceData) {
      deps.audit.record({ at: this.now(), user: AUDIT_USER, action: 'mqtt_face_data_on', subject: `mqtt:${this.connection.host}`, detail: `face crops and watchlist names published on ${this.topics.events}` });
    }
    this.statsTimer = setInterval(() => this.publishZones(), config.statsIntervalSeconds * 1000);
    this.statsTimer.unref();
  }

  get topicPrefix(): string {
    return this.topics.prefix;
  }

  status(): MqttFeedStatus {
    return { connected: this.connection.connected, queueDepth: this.pending.depth, inFlight: this.sender.inFlightCount };
  }

  eventStarted(e: StartedEvent): void {
    this.guard(() => this.queueEvent(this.messages.started(e)));
  }

  eventUpdated(uid: string, at: number, data: Record<string, unknown>): void {
    this.guard(() => this.queueEvent(this.messages.updated(uid, at, data)));
  }

  eventEnded(uid: string, at: number, data: Record<string, unknown>): void {
    this.guard(() => this.queueEvent(this.messages.ended(uid, at, data)));
  }

  cameraState(cameraId: string, health: CameraHealth): void {
    this.guard(() => this.queueRetained('camera_state', this.topics.cameraState(cameraId), JSON.stringify(cameraStateMessage(health))));
  }

  /** Reads every camera's zones and queues those that changed since they were last queued. */
  publishZones(): void {
    if (this.closing) return;
    try {
      this.readZones();
    } catch (err) {
      this.deps.log.warn({ error: (err as Error).message }, 'mqtt feed could not read the zones');
    }
  }

  private readZones(): void {
    const at = new Date(this.now()).toISOString();
    for (const camera of this.deps.zones()) {
      for (const zone of camera.zones) {
        const topic = this.topics.zone(camera.cameraId, zone.zoneId);
        const reading = JSON.stringify(zoneReading(zone));
        if (this.zoneReadings.get(topic) === reading) continue;
        this.zoneReadings.set(topic, reading);
        this.queueRetained('zone', topic, `${reading.slice(0, -1)},"at":"${at}"}`);
      }
    }
  }

  /**
   * Sends what is queued (for up to `flushMs` while connected), publishes availability "offline"
   * and disconnects. What could not be sent is counted as dropped (closed).
   */
  async close(flushMs = 2000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.sender.closing = true;
    clearInterval(this.statsTimer);
    const deadline = Date.now() + flushMs;
    while (this.connection.connected && this.pending.depth + this.sender.inFlightCount > 0 && Date.now() < deadline) {
      this.sender.drain();
      await new Promise((r) => setTimeout(r, 10));
    }
    const left = this.pending.clear();
    if (left.events > 0) this.metrics.dropped.inc({ reason: 'closed' }, left.events);
    if (this.connection.connected) {
      await new Promise<void>((resolve) => {
        const guard = setTimeout(resolve, 1000);
        this.connection.publish(this.topics.availability, 'offline', { qos: 1, retain: true }, () => {
          clearTimeout(guard);
          resolve();
        });
      });
    }
    await this.connection.end();
  }

  private guard(work: () => void): void {
    if (this.closing) return;
    try {
      work();
    } catch (err) {
      // Data that cannot be serialised (a cycle, a BigInt) is the only expected failure.
      this.metrics.dropped.inc({ reason: 'unserialisable' });
      this.deps.log.debug({ error: (err as Error).message }, 'mqtt feed message not sent');
    }
  }

  private queueEvent({ message, faceData }: ReturnType<EventMessages['started']>): void {
    const m: OutMessage = { kind: 'event', topic: this.topics.events, payload: JSON.stringify(message), qos: this.config.qos, retain: false, attempts: 0 };
    if (faceData.length > 0) m.faceData = { uid: message.uid, fields: faceData };
    if (!this.pending.pushEvent(m)) this.metrics.dropped.inc({ reason: 'queue_full' });
    this.sender.schedule();
  }

  private queueRetained(kind: 'camera_state' | 'zone', topic: string, payload: string): void {
    const m: OutMessage = { kind, topic, payload, qos: 0, retain: true, attempts: 0 };
    this.retained.set(topic, m);
    if (this.pending.setRetained(m)) this.metrics.dropped.inc({ reason: 'superseded' });
    this.sender.schedule();
  }

  private delivered(m: OutMessage): void {
    if (!m.faceData) return;
    this.deps.audit.record({ at: this.now(), user: AUDIT_USER, action: 'mqtt_publish_face_data', subject: `event-uid:${m.faceData.uid}`, detail: `${m.faceData.fields.join(', ')} to ${this.connection.host} ${m.topic}` });
  }

  private onConnected(): void {
    this.metrics.connections.inc();
    // Availability first, then every retained value again (a restarted broker lost them), then the queue.
    this.connection.publish(this.topics.availability, 'online', { qos: 1, retain: true }, (err) => {
      if (!err) this.metrics.count('availability', 6);
    });
    for (const m of this.retained.values()) this.pending.setRetained(m);
    this.sender.schedule();
  }
}

import { Counter, Gauge, type Registry } from 'prom-client';
import type { MessageKind } from './pending';

/** Why a message was not delivered. */
export type DropReason = 'queue_full' | 'superseded' | 'unserialisable' | 'rejected' | 'closed';

export interface FeedMetrics {
  published: Counter<'kind'>;
  publishedBytes: Counter<'kind'>;
  dropped: Counter<'reason'>;
  connections: Counter;
  count(kind: MessageKind, bytes: number): void;
}

/** The feed's metrics in the gateway's registry; the gauges are read from the feed on each scrape. */
export function feedMetrics(registry: Registry, read: { connected: () => boolean; queueDepth: () => number }): FeedMetrics {
  new Gauge({
    name: 'gateway_mqtt_connected',
    help: '1 while the MQTT feed is connected to its broker',
    registers: [registry],
    collect() {
      this.set(read.connected() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'gateway_mqtt_queue_depth',
    help: 'MQTT messages waiting to be sent (events queued while disconnected, plus unsent retained state)',
    registers: [registry],
    collect() {
      this.set(read.queueDepth());
    },
  });
  const published = new Counter({ name: 'gateway_mqtt_published_total', help: 'MQTT messages the broker accepted, by kind', labelNames: ['kind'], registers: [registry] });
  const publishedBytes = new Counter({ name: 'gateway_mqtt_published_bytes_total', help: 'Payload bytes of MQTT messages the broker accepted, by kind', labelNames: ['kind'], registers: [registry] });
  const dropped = new Counter({
    name: 'gateway_mqtt_dropped_total',
    help: 'MQTT messages not sent, by reason: queue_full (events beyond mqtt.queueLimit while disconnected), superseded (retained state replaced by a newer value before it was sent), unserialisable, rejected (failed three times: the connection dropped or the client failed it each time it was in flight), closed (still queued at shutdown)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const connections = new Counter({ name: 'gateway_mqtt_connections_total', help: 'Successful MQTT connections (the first and each reconnection)', registers: [registry] });
  return {
    published,
    publishedBytes,
    dropped,
    connections,
    count(kind, bytes) {
      published.inc({ kind });
      publishedBytes.inc({ kind }, bytes);
    },
  };
}

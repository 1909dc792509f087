import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BrokerProcess, Subscriber } from '../../test-helpers/mqtt-broker';
import { ConfigError } from '../config';
import { MqttConfigSchema, MqttFeed, type EventMessage } from '../mqtt';
import { AuditLog, openDatabase } from '../store';
import { capturingLog, health, json, metricValue, startFeed, type FeedRig } from './mqtt-harness';
import { Registry } from 'prom-client';

const dir = mkdtempSync(join(tmpdir(), 'gw-mqtt-'));
let broker: BrokerProcess;
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  broker = await BrokerProcess.start();
});
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function rig(config: Parameters<typeof startFeed>[0], options: Parameters<typeof startFeed>[1] = {}): Promise<{ rig: FeedRig; sub: Subscriber; prefix: string }> {
  const r = startFeed(config, options);
  open.push({ close: () => r.feed.close(200) });
  const sub = await Subscriber.connect(broker.url, `${r.feed.topicPrefix}/#`);
  open.push(sub);
  expect(await sub.waitFor((s) => s.last(`${r.feed.topicPrefix}/availability`)?.payload === 'online')).toBe(true);
  return { rig: r, sub, prefix: r.feed.topicPrefix };
}

const WATCHLIST_DATA = { personId: 'p-17', person: 'Nguyen Van Watch', similarity: 0.81, faceCrop: 'AAAA/9j/4QBYRXhpZgAATU0AKgAAAAgAAgESAAMAAAABAAEAAIdpAAQAAAABAAAAJgAAAAAAA6ABAAMAAAABAAEAAKACAAQAAAABAAAAAaADAAQAAAABAAAAAQAAAAA' };

describe('MQTT feed on a real broker', () => {
  it('publishes availability, camera state, zone readings on change, and event start/update/end without face data', async () => {
    let count = 3;
    const zones = () => [{ cameraId: 'hall', zones: [{ zoneId: 'queue-a', type: 'queue', count, estimatedWaitSeconds: 120, serviceDepartures: 4 }, { zoneId: 'entrance', type: 'line', count: 0, crossingsIn: 7, crossingsOut: 2 }] }];
    const { rig: r, sub, prefix } = await rig({ url: broker.url, statsIntervalSeconds: 3600 }, { zones, siteId: 'site-7' });
    expect(prefix).toBe('gateway/site-7');
    expect(sub.last(`${prefix}/availability`)!.retain).toBe(true);

    r.feed.cameraState('hall', health('hall', 'streaming'));
    r.feed.publishZones();
    r.feed.publishZones(); // unchanged: nothing new
    expect(await sub.waitFor((s) => s.on(`${prefix}/zones/hall/queue-a`).length === 1)).toBe(true);
    count = 5;
    r.feed.publishZones();
    const at = Date.UTC(2026, 0, 5, 9, 30, 0);
    r.feed.eventStarted({ uid: 'u-1', cameraId: 'hall', trackId: 4, type: 'watchlist_match', severity: 'high', at, data: { ...WATCHLIST_DATA } });
    r.feed.eventUpdated('u-1', at + 1000, { note: 'more', change: { kind: 'entered', trackId: 4, at, faceCrop: 'nested-crop' } });
    r.feed.eventEnded('u-1', at + 2000, { durationSeconds: 2 });
    expect(await sub.waitFor((s) => s.on(`${prefix}/events`).length === 3)).toBe(true);

    const state = json(sub.last(`${prefix}/cameras/hall/state`)!.payload);
    expect(state).toEqual({ state: 'streaming', reason: null, since: '2026-01-05T08:00:00.000Z', fps: 5, reconnects: 2 });
    const queue = sub.on(`${prefix}/zones/hall/queue-a`).map((m) => json(m.payload));
    expect(queue.map((q) => q.count)).toEqual([3, 5]);
    expect(queue[1]).toMatchObject({ type: 'queue', count: 5, waitSeconds: 120, serviceDepartures: 4 });
    expect(typeof queue[1]!.at).toBe('string');
    expect(json(sub.last(`${prefix}/zones/hall/entrance`)!.payload)).toMatchObject({ type: 'line', crossingsIn: 7, crossingsOut: 2 });

    const events = sub.on(`${prefix}/events`);
    for (const e of events) {
      expect(e.retain).toBe(false);
      expect(e.payload).not.toContain('Nguyen');
      expect(e.payload).not.toContain('p-17');
      expect(e.payload).not.toContain('crop');
    }
    const [start, update, end] = events.map((e) => json<EventMessage>(e.payload));
    expect(start).toEqual({ type: 'start', uid: 'u-1', event: 'watchlist_match', camera: 'hall', track: 4, severity: 'high', startedAt: '2026-01-05T09:30:00.000Z', at: '2026-01-05T09:30:00.000Z', data: { similarity: 0.81 }, withheld: ['personId', 'person', 'faceCrop'] });
    expect(update).toMatchObject({ type: 'update', uid: 'u-1', event: 'watchlist_match', camera: 'hall', at: '2026-01-05T09:30:01.000Z', data: { note: 'more', change: { kind: 'entered', trackId: 4 } }, withheld: ['faceCrop'] });
    expect(end).toMatchObject({ type: 'end', uid: 'u-1', event: 'watchlist_match', camera: 'hall', startedAt: '2026-01-05T09:30:00.000Z', at: '2026-01-05T09:30:02.000Z', data: { durationSeconds: 2 } });
    expect(end!.withheld).toBeUndefined();
    expect(r.audits).toEqual([]);

    expect(await metricValue(r.registry, 'gateway_mqtt_published_total', { kind: 'event' })).toBe(3);
    expect(await metricValue(r.registry, 'gateway_mqtt_published_total', { kind: 'zone' })).toBe(3);
    expect(await metricValue(r.registry, 'gateway_mqtt_connected')).toBe(1);
    expect(await metricValue(r.registry, 'gateway_mqtt_queue_depth')).toBe(0);
    expect(await metricValue(r.registry, 'gateway_mqtt_published_bytes_total', { kind: 'event' })).toBe(events.reduce((n, e) => n + Buffer.byteLength(e.payload), 0));

    // A retained value replaced before it was sent is counted as superseded; the newest goes out.
    count = 6;
    r.feed.publishZones();
    count = 7;
    r.feed.publishZones();
    expect(await sub.waitFor((s) => json(s.last(`${prefix}/zones/hall/queue-a`)!.payload).count === 7)).toBe(true);
    expect(sub.on(`${prefix}/zones/hall/queue-a`).map((m) => json(m.payload).count)).toEqual([3, 5, 7]);
    expect(await metricValue(r.registry, 'gateway_mqtt_dropped_total', { reason: 'superseded' })).toBe(1);
  });

  it('with includeFaceData publishes crops and names, and audits the switch and every such event in the store', async () => {
    const db = openDatabase(join(dir, 'audit.sqlite'));
    open.push({ close: async () => void db.close() });
    const audit = new AuditLog(db);
    const { rig: r, sub, prefix } = await rig({ url: broker.url, topicPrefix: 'site/face', includeFaceData: true }, { audit });
    r.feed.eventStarted({ uid: 'u-2', cameraId: 'door', type: 'watchlist_match', severity: 'high', at: Date.now(), data: { ...WATCHLIST_DATA } });
    r.feed.eventEnded('u-2', Date.now(), {});
    r.feed.eventStarted({ uid: 'u-3', cameraId: 'door', zoneId: 'lawn', type: 'restricted_zone_entry', severity: 'high', at: Date.now(), data: { inside: 1 } });
    expect(await sub.waitFor((s) => s.on(`${prefix}/events`).length === 3)).toBe(true);
    const start = json<EventMessage>(sub.on(`${prefix}/events`)[0]!.payload);
    expect(start.data).toEqual(WATCHLIST_DATA);
    expect(start.withheld).toBeUndefined();
    const entries = audit.list().reverse();
    expect(entries.map((e) => [e.user, e.action, e.subject])).toEqual([
      ['system:mqtt', 'mqtt_face_data_on', `mqtt:127.0.0.1:${broker.port}`],
      ['system:mqtt', 'mqtt_publish_face_data', 'event-uid:u-2'],
    ]);
    expect(entries[1]!.detail).toBe(`personId, person, faceCrop to 127.0.0.1:${broker.port} site/face/events`);
    // The watchlist page's access trail shows them too (what left the gateway with a face).
    expect(audit.watchlistTrail().map((e) => e.action).sort()).toEqual(['mqtt_face_data_on', 'mqtt_publish_face_data']);
  });

  it('never throws on data it cannot serialise (the message is dropped and counted) nor on zones it cannot read', async () => {
    const { rig: r, sub, prefix } = await rig({ url: broker.url, topicPrefix: 'site/bad' }, { zones: () => { throw new Error('pipeline gone'); } });
    expect(() => r.feed.publishZones()).not.toThrow();
    expect(r.logLines.some((l) => l.includes('could not read the zones') && l.includes('pipeline gone'))).toBe(true);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic, deeper: [{ x: 10n }] };
    expect(() => r.feed.eventStarted({ uid: 'u-4', cameraId: 'hall', type: 'loitering', severity: 'low', at: Date.now(), data: { big: 10n } })).not.toThrow();
    expect(() => r.feed.eventUpdated('u-4', Date.now(), cyclic)).not.toThrow();
    r.feed.eventEnded('u-4', Date.now(), { ok: true });
    expect(await sub.waitFor((s) => s.on(`${prefix}/events`).length === 1)).toBe(true);
    expect(json<EventMessage>(sub.on(`${prefix}/events`)[0]!.payload)).toMatchObject({ type: 'end', uid: 'u-4', event: 'loitering' });
    expect(await metricValue(r.registry, 'gateway_mqtt_dropped_total', { reason: 'unserialisable' })).toBe(2);
  });

  it('with qos 0, events go out without acknowledgement', async () => {
    const { rig: r, sub, prefix } = await rig({ url: broker.url, topicPrefix: 'site/q0', qos: 0 });
    for (let i = 0; i < 10; i++) r.feed.eventStarted({ uid: `q-${i}`, cameraId: 'hall', type: 'loitering', severity: 'low', at: Date.now() });
    expect(await sub.waitFor((s) => s.on(`${prefix}/events`).length === 10)).toBe(true);
    expect(sub.on(`${prefix}/events`).map((m) => json<EventMessage>(m.payload).uid)).toEqual(Array.from({ length: 10 }, (_, i) => `q-${i}`));
    expect(await metricValue(r.registry, 'gateway_mqtt_published_total', { kind: 'event' })).toBe(10);
  });

  it('close() without a broker counts the queued events as dropped (closed) and returns', async () => {
    const r = startFeed({ url: 'mqtt://127.0.0.1:1', topicPrefix: 'site/none' });
    for (let i = 0; i < 3; i++) r.feed.eventStarted({ uid: `n-${i}`, cameraId: 'hall', type: 'crowding', severity: 'medium', at: Date.now() });
    expect(r.feed.status()).toEqual({ connected: false, queueDepth: 3, inFlight: 0 });
    await r.feed.close();
    expect(await metricValue(r.registry, 'gateway_mqtt_dropped_total', { reason: 'closed' })).toBe(3);
  });

  it('close() publishes availability "offline" (retained) after sending what is queued', async () => {
    const { rig: r, prefix } = await rig({ url: broker.url, topicPrefix: 'site/close' });
    r.feed.eventStarted({ uid: 'u-5', cameraId: 'hall', type: 'crowding', severity: 'medium', at: Date.now() });
    await r.feed.close();
    const later = await Subscriber.connect(broker.url, `${prefix}/availability`);
    open.push(later);
    expect(await later.waitFor((s) => s.messages.length > 0)).toBe(true);
    expect(later.messages[0]).toMatchObject({ payload: 'offline', retain: true });
    expect(await metricValue(r.registry, 'gateway_mqtt_published_total', { kind: 'event' })).toBe(1);
    expect(() => r.feed.eventStarted({ uid: 'u-6', cameraId: 'hall', type: 'crowding', severity: 'medium', at: Date.now() })).not.toThrow();
  });
});

describe('MQTT configuration', () => {
  const issue = (input: unknown) => {
    const r = MqttConfigSchema.safeParse(input);
    return r.success ? 'ok' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };

  it('names the field of a bad value, and never echoes a password', () => {
    expect(issue({ url: 'mqtt://127.0.0.1:1883' })).toBe('ok');
    expect(issue({ url: 'http://127.0.0.1' })).toBe('url: must be an mqtt:// or mqtts:// URL');
    expect(issue({ url: 'mqtt://user:hunter2-secret@127.0.0.1' })).toBe('url: put credentials in mqtt.username and mqtt.password, not in the URL');
    expect(issue({ url: 'mqtt://127.0.0.1', tls: {} })).toBe('tls: tls needs an mqtts:// url');
    expect(issue({ url: 'mqtt://127.0.0.1', password: 'x' })).toBe('username: a password needs a username');
    expect(issue({ url: 'mqtt://127.0.0.1', topicPrefix: 'a/#' })).toMatch(/^topicPrefix: /);
    expect(issue({ url: 'mqtt://127.0.0.1', topicPrefix: '/a' })).toMatch(/^topicPrefix: /);
    expect(issue({ url: 'mqtt://127.0.0.1', qos: 2 })).toMatch(/^qos: /);
    expect(issue({ url: 'mqtt://127.0.0.1', queueLimit: 0 })).toMatch(/^queueLimit: /);
    expect(issue({ url: 'mqtt://127.0.0.1', extra: 1 })).toMatch(/extra/);
  });

  it('an unreadable or non-PEM CA file is a configuration error naming mqtt.tls.caFile', () => {
    const registry = new Registry();
    const start = (caFile: string) => () =>
      MqttFeed.start(MqttConfigSchema.parse({ url: 'mqtts://127.0.0.1:1', tls: { caFile } }), { siteId: 's', log: capturingLog([]), registry, audit: { record: () => undefined }, zones: () => [] });
    const notPem = join(dir, 'not-a-cert.pem');
    writeFileSync(notPem, 'hello');
    for (const file of [join(dir, 'missing.pem'), notPem]) {
      let error: unknown;
      try {
        start(file)();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).path).toBe('mqtt.tls.caFile');
      expect((error as Error).message).toMatch(/^mqtt\.tls\.caFile: /);
    }
    // Nothing was started or registered: the same registry takes a feed afterwards.
    expect(registry.getMetricsAsArray()).toEqual([]);
  });
});

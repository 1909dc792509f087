import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BrokerProcess, Subscriber, TcpGate } from '../../test-helpers/mqtt-broker';
import { waitFor } from '../../test-helpers/processes';
import { opensslAvailable, selfSignedCert } from '../../test-helpers/tls';
import type { EventMessage } from '../mqtt';
import { health, json, metricValue, startFeed } from './mqtt-harness';

const dir = mkdtempSync(join(tmpdir(), 'gw-mqtt-rc-'));
const open: Array<{ close(): Promise<void> }> = [];
let broker: BrokerProcess;
let gate: TcpGate;

beforeAll(async () => {
  broker = await BrokerProcess.start();
  // The feed reaches the broker through a gate, so the test decides when it may reconnect.
  gate = await TcpGate.start(() => broker.port);
});
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});
afterAll(async () => {
  await gate.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

const start = (at: number) => (i: number) => ({ uid: `u-${i}`, cameraId: 'hall', zoneId: 'lawn', type: 'restricted_zone_entry', severity: 'high' as const, at: at + i, data: { inside: 1, n: i } });

describe('MQTT feed across a broker restart', () => {
  it('queues events up to the bound while the broker is down, counts the rest as dropped, and delivers the queue after the restart', async () => {
    const r = startFeed({ url: gate.url(), topicPrefix: 'site/rc', queueLimit: 20 });
    open.push({ close: () => r.feed.close(200) });
    let sub = await Subscriber.connect(broker.url, 'site/rc/#');
    expect(await sub.waitFor((s) => s.last('site/rc/availability')?.payload === 'online')).toBe(true);
    r.feed.cameraState('hall', health('hall', 'streaming'));
    expect(await sub.waitFor((s) => s.on('site/rc/cameras/hall/state').length === 1)).toBe(true);
    await sub.close();

    const brokerPid = broker.pid;
    await broker.kill();
    gate.setOpen(false);
    expect(await waitFor(() => !r.feed.status().connected, 10_000, 20)).toBe(true);
    const event = start(Date.UTC(2026, 0, 5, 10, 0, 0));
    for (let i = 0; i < 25; i++) r.feed.eventStarted(event(i));
    r.feed.cameraState('hall', health('hall', 'reconnecting', Date.UTC(2026, 0, 5, 10, 0, 5)));
    expect(r.feed.status().queueDepth).toBe(21); // 20 events + the camera's newest state
    expect(await metricValue(r.registry, 'gateway_mqtt_dropped_total', { reason: 'queue_full' })).toBe(5);
    expect(await metricValue(r.registry, 'gateway_mqtt_queue_depth')).toBe(21);
    expect(await metricValue(r.registry, 'gateway_mqtt_connected')).toBe(0);

    await broker.restart();
    expect(broker.pid).not.toBe(brokerPid);
    sub = await Subscriber.connect(broker.url, 'site/rc/#');
    open.push(sub);
    gate.setOpen(true);
    expect(await sub.waitFor((s) => s.on('site/rc/events').length >= 20 && s.last('site/rc/availability')?.payload === 'online' && s.on('site/rc/cameras/hall/state').length > 0, 30_000)).toBe(true);
    const uids = sub.on('site/rc/events').map((m) => json<EventMessage>(m.payload).uid);
    expect(uids).toEqual(Array.from({ length: 20 }, (_, i) => `u-${i}`));
    expect(json(sub.last('site/rc/cameras/hall/state')!.payload)).toMatchObject({ state: 'reconnecting', reason: 'connection_refused', since: '2026-01-05T10:00:05.000Z' });
    expect(await waitFor(() => r.feed.status().queueDepth === 0, 5000, 20)).toBe(true);
    expect(await metricValue(r.registry, 'gateway_mqtt_published_total', { kind: 'event' })).toBe(20);
    expect(await metricValue(r.registry, 'gateway_mqtt_connections_total')).toBe(2);
    expect(await metricValue(r.registry, 'gateway_mqtt_connected')).toBe(1);
    // A warning for the outage, once, naming the broker; not one per attempt.
    const warnings = r.logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40);
    expect(warnings.map((w) => w.msg)).toEqual(['mqtt feed not connected to its broker; events queue up to mqtt.queueLimit']);
  });

  it('the broker publishes the last will "offline" when the feed drops off; it is "online" again after reconnecting', async () => {
    const r = startFeed({ url: gate.url(), topicPrefix: 'site/will' });
    open.push({ close: () => r.feed.close(200) });
    const sub = await Subscriber.connect(broker.url, 'site/will/availability');
    open.push(sub);
    expect(await sub.waitFor((s) => s.last('site/will/availability')?.payload === 'online')).toBe(true);
    gate.setOpen(false);
    gate.cut();
    expect(await sub.waitFor((s) => s.last('site/will/availability')?.payload === 'offline')).toBe(true);
    gate.setOpen(true);
    expect(await sub.waitFor((s) => s.last('site/will/availability')?.payload === 'online')).toBe(true);
    expect(sub.messages.map((m) => m.payload)).toEqual(['online', 'offline', 'online']);
  });
});

describe('MQTT feed and a hung broker', () => {
  it('never blocks the caller: 64 messages wait for their acknowledgement, 20 queue, the rest are dropped; all 84 arrive when the broker wakes', async () => {
    const r = startFeed({ url: broker.url, topicPrefix: 'site/hung', queueLimit: 20 });
    open.push({ close: () => r.feed.close(200) });
    const sub = await Subscriber.connect(broker.url, 'site/hung/events');
    open.push(sub);
    expect(await waitFor(() => r.feed.status().connected, 10_000, 20)).toBe(true);
    broker.pause();
    try {
      const event = start(Date.UTC(2026, 0, 5, 11, 0, 0));
      for (let i = 0; i < 100; i++) {
        r.feed.eventStarted(event(i));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(r.feed.status()).toEqual({ connected: true, queueDepth: 20, inFlight: 64 });
      expect(await metricValue(r.registry, 'gateway_mqtt_dropped_total', { reason: 'queue_full' })).toBe(16);
    } finally {
      broker.resume();
    }
    expect(await sub.waitFor((s) => s.messages.length >= 84, 20_000)).toBe(true);
    expect(sub.messages.map((m) => json<EventMessage>(m.payload).uid)).toEqual(Array.from({ length: 84 }, (_, i) => `u-${i}`));
    expect(await waitFor(() => r.feed.status().inFlight === 0 && r.feed.status().queueDepth === 0, 5000, 20)).toBe(true);
  });

  it('a broker hung past the keepalive: the feed drops the connection, takes back the unacknowledged messages and delivers every event once the broker wakes', async () => {
    const r = startFeed({ url: broker.url, topicPrefix: 'site/hung2', keepaliveSeconds: 5 });
    open.push({ close: () => r.feed.close(200) });
    const sub = await Subscriber.connect(broker.url, 'site/hung2/events');
    open.push(sub);
    expect(await waitFor(() => r.feed.status().connected, 10_000, 20)).toBe(true);
    broker.pause();
    try {
      const event = start(Date.UTC(2026, 0, 5, 12, 0, 0));
      for (let i = 0; i < 100; i++) {
        r.feed.eventStarted(event(i));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(r.feed.status().inFlight).toBe(64);
      // mqtt.js pings after the keepalive and gives up 1.5 x keepalive after the last exchange.
      expect(await waitFor(() => !r.feed.status().connected, 20_000, 50)).toBe(true);
      expect(r.feed.status()).toEqual({ connected: false, queueDepth: 100, inFlight: 0 });
    } finally {
      broker.resume();
    }
    const uids = () => [...new Set(sub.messages.map((m) => json<EventMessage>(m.payload).uid))];
    expect(await sub.waitFor(() => uids().length === 100, 30_000)).toBe(true);
    expect(uids()).toEqual(Array.from({ length: 100 }, (_, i) => `u-${i}`));
    expect(r.logLines.some((l) => l.includes('Keepalive timeout'))).toBe(true);
  });
});

describe('MQTT feed credentials and TLS', () => {
  const PASSWORD = 'Pa55-w0rd-never-logged';

  it('a wrong password is refused and retried with backoff, and no log line holds it; the right one connects', async () => {
    const secured = await BrokerProcess.start({ username: 'gw', password: PASSWORD });
    open.push(secured);
    const wrong = startFeed({ url: secured.url, topicPrefix: 'site/auth', username: 'gw', password: 'wrong-Secret-42' });
    open.push({ close: () => wrong.feed.close(100) });
    expect(await waitFor(() => wrong.logLines.filter((l) => l.includes('not connected to its broker')).length === 1 && wrong.logLines.filter((l) => l.includes('reconnect attempt failed')).length >= 2, 10_000, 20)).toBe(true);
    expect(wrong.feed.status().connected).toBe(false);
    expect(wrong.logLines.join('\n')).not.toContain('wrong-Secret-42');
    expect(wrong.logLines.join('\n')).toMatch(/Connection refused/);

    const right = startFeed({ url: secured.url, topicPrefix: 'site/auth', username: 'gw', password: PASSWORD });
    open.push({ close: () => right.feed.close(100) });
    expect(await waitFor(() => right.feed.status().connected, 10_000, 20)).toBe(true);
    expect(right.logLines.join('\n')).not.toContain(PASSWORD);
  });

  it.skipIf(!opensslAvailable('MQTT over TLS (openssl)'))('mqtts with the broker CA in tls.caFile connects; without it the certificate is refused', async () => {
    const cert = selfSignedCert(dir, 'broker', 'mqtt.test');
    const tlsBroker = await BrokerProcess.start({ tls: cert });
    open.push(tlsBroker);
    const trusted = startFeed({ url: tlsBroker.url, topicPrefix: 'site/tls', tls: { caFile: cert.certPath } });
    open.push({ close: () => trusted.feed.close(100) });
    const untrusted = startFeed({ url: tlsBroker.url, topicPrefix: 'site/tls2' });
    open.push({ close: () => untrusted.feed.close(100) });
    expect(await waitFor(() => trusted.feed.status().connected, 10_000, 20)).toBe(true);
    expect(await waitFor(() => untrusted.logLines.some((l) => l.includes('not connected to its broker')), 10_000, 20)).toBe(true);
    expect(untrusted.feed.status().connected).toBe(false);
    expect(untrusted.logLines.join('\n')).toMatch(/self.signed|certificate/i);
  });
});

/**
 * What the MQTT feed costs (README figures): `npx tsx benchmarks/mqtt/feed-cost.ts [seconds]`.
 *
 * 1. CPU: a feed on a real broker process (aedes, scripts/mqtt-broker.ts; its CPU is not counted)
 *    publishing 8 cameras' zone readings (3 zones each, counts changing at every read) every
 *    statsIntervalSeconds (1 and 5) and 10 event messages per second (start/update/end of
 *    restricted-zone incidents listing 3 people). CPU is this process's (process.cpuUsage), less a
 *    run of the driver alone (same calls into nothing) of the same length, after a 5 s warm-up.
 * 2. Bytes on the wire: the same load through a TCP relay that counts bytes both ways (MQTT
 *    packets: TCP payload, without TCP/IP headers).
 * 3. The caller's cost: eventStarted/eventEnded on the frame path (serialise + queue), microseconds per call,
 *    in bursts of 200 calls with the feed connected.
 * 4. How fast a full queue (mqtt.queueLimit default 1000) drains once connected.
 * 5. CPU per event message end to end (serialise, queue, MQTT packet, socket write, PUBACK), at load,
 *    and per zone reading; from them the load's CPU per second (steadier than 1. on a busy machine).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { Registry } from 'prom-client';
import { MqttConfigSchema, MqttFeed, type CameraZones } from '../../gateway/mqtt';

const seconds = Number(process.argv[2] ?? 20);
const log = pino({ level: 'warn' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function zones(tick: () => number): () => CameraZones[] {
  return () => {
    const t = tick();
    return Array.from({ length: 8 }, (_, c) => ({
      cameraId: `cam-${c}`,
      zones: [
        { zoneId: 'queue', type: 'queue', count: (t + c) % 9, estimatedWaitSeconds: 60 + ((t * 7 + c) % 300), serviceDepartures: t % 5 },
        { zoneId: 'entrance', type: 'line', count: 0, crossingsIn: t * 3 + c, crossingsOut: t * 2 + c },
        { zoneId: 'lawn', type: 'restricted', count: (t + c) % 2 },
      ],
    }));
  };
}

type EventTarget = Pick<MqttFeed, 'eventStarted' | 'eventUpdated' | 'eventEnded'>;
/** The driver alone (the same calls into nothing): its CPU is subtracted from the feed's runs. */
const NOWHERE: EventTarget = { eventStarted: () => undefined, eventUpdated: () => undefined, eventEnded: () => undefined };

/** Drives 10 event messages per second for `ms`; returns how many it sent. */
async function drive(feed: EventTarget, ms: number): Promise<number> {
  let sent = 0;
  let n = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const uid = `evt-${n++}`;
    const at = Date.now();
    const people = [1, 2, 3].map((i) => ({ trackId: n * 10 + i, enteredAt: at - i * 1000, leftAt: null }));
    const data = { zone: 'Lawn (no entry)', incident: true, inside: 3, total: 3, people };
    feed.eventStarted({ uid, cameraId: `cam-${n % 8}`, zoneId: 'lawn', type: 'restricted_zone_entry', severity: 'high', at, data });
    await sleep(100);
    feed.eventUpdated(uid, at + 100, { ...data, change: { kind: 'left', trackId: n * 10 + 1, at } });
    await sleep(100);
    feed.eventEnded(uid, at + 200, { ...data, inside: 0, durationSeconds: 12 });
    await sleep(100);
    sent += 3;
  }
  return sent;
}

async function run(url: string, statsIntervalSeconds: number, ms: number): Promise<{ cpuMs: number; events: number; registry: Registry }> {
  const registry = new Registry();
  let tick = 0;
  const feed = MqttFeed.start(MqttConfigSchema.parse({ url, topicPrefix: 'cost', statsIntervalSeconds }), { siteId: 'cost', log, registry, audit: { record: () => undefined }, zones: zones(() => tick++) });
  await sleep(500);
  const before = process.cpuUsage();
  const events = await drive(feed, ms);
  const used = process.cpuUsage(before);
  await feed.close();
  return { cpuMs: (used.user + used.system) / 1000, events, registry };
}

async function driverOnly(ms: number): Promise<number> {
  const before = process.cpuUsage();
  await drive(NOWHERE, ms);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** A relay to the broker counting the bytes each way. */
async function countingRelay(port: number): Promise<{ url: string; bytes: { up: number; down: number }; close(): void }> {
  const bytes = { up: 0, down: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port });
    client.on('data', (d: Buffer) => (bytes.up += d.length));
    upstream.on('data', (d: Buffer) => (bytes.down += d.length));
    client.pipe(upstream).on('error', () => undefined);
    upstream.pipe(client).on('error', () => undefined);
    sockets.add(client).add(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const relayPort = (server.address() as { port: number }).port;
  return { url: `mqtt://127.0.0.1:${relayPort}`, bytes, close: () => (sockets.forEach((s) => s.destroy()), server.close()) };
}

/** scripts/mqtt-broker.ts as a process on a free port of 127.0.0.1. */
async function startBroker(): Promise<{ port: number; url: string; stop(): void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'scripts', 'mqtt-broker.ts'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /listening on mqtt:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`mqtt broker exited (${code})`)));
  });
  return { port, url: `mqtt://127.0.0.1:${port}`, stop: () => void child.kill('SIGKILL') };
}

const broker = await startBroker();
try {
  const ms = seconds * 1000;
  await run(broker.url, 1, 5000); // warm-up (JIT), not counted
  const idleMs = await driverOnly(ms);
  for (const interval of [1, 5]) {
    const r = await run(broker.url, interval, ms);
    const published = await r.registry.getSingleMetric('gateway_mqtt_published_total')!.get();
    const byKind = Object.fromEntries(published.values.map((v) => [v.labels.kind, v.value]));
    console.log(`statsInterval ${interval}s: ${seconds}s, ${r.events} event messages, published ${JSON.stringify(byKind)}; CPU ${(r.cpuMs - idleMs).toFixed(0)} ms over the driver alone (${(((r.cpuMs - idleMs) / ms) * 100).toFixed(2)} % of one core; driver alone ${idleMs.toFixed(0)} ms)`);
  }
  for (const interval of [1, 5]) {
    const relay = await countingRelay(broker.port);
    const r = await run(relay.url, interval, ms);
    const payload = await r.registry.getSingleMetric('gateway_mqtt_published_bytes_total')!.get();
    const payloadBytes = payload.values.reduce((n, v) => n + v.value, 0);
    console.log(`statsInterval ${interval}s wire: ${(relay.bytes.up / seconds).toFixed(0)} B/s to the broker, ${(relay.bytes.down / seconds).toFixed(0)} B/s back (acks); JSON payload ${(payloadBytes / seconds).toFixed(0)} B/s`);
    relay.close();
  }
  // The frame path's cost: serialise and queue, in bursts of 200 calls with the feed connected
  // (the queue drains between bursts, as it does between frames).
  const registry = new Registry();
  const feed = MqttFeed.start(MqttConfigSchema.parse({ url: broker.url, topicPrefix: 'cost' }), { siteId: 'cost', log, registry, audit: { record: () => undefined }, zones: () => [] });
  await sleep(500);
  const data = { zone: 'Lawn (no entry)', incident: true, inside: 3, total: 3, people: [1, 2, 3].map((i) => ({ trackId: i, enteredAt: 1, leftAt: null })) };
  let spentNs = 0n;
  let calls = 0;
  for (let burst = 0; burst < 150; burst++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) {
      const uid = `u-${burst}-${i}`;
      feed.eventStarted({ uid, cameraId: 'cam-1', zoneId: 'lawn', type: 'restricted_zone_entry', severity: 'high', at: 1_700_000_000_000 + i, data });
      feed.eventEnded(uid, 1_700_000_000_500 + i, data);
    }
    if (burst >= 50) {
      spentNs += process.hrtime.bigint() - t0;
      calls += 200;
    }
    await sleep(100);
  }
  const dropped = await registry.getSingleMetric('gateway_mqtt_dropped_total')!.get();
  console.log(`eventStarted/eventEnded on the caller's thread: ${(Number(spentNs) / 1000 / calls).toFixed(2)} us per call (${calls} calls after 10,000 warm-up, bursts of 200; dropped ${dropped.values.reduce((n, v) => n + v.value, 0)})`);
  // Throughput: how fast a full queue drains after a reconnect (QoS 1, 64 messages in flight).
  const backlog = 1000;
  const t1 = Date.now();
  for (let i = 0; i < backlog; i++) feed.eventStarted({ uid: `b-${i}`, cameraId: 'cam-1', zoneId: 'lawn', type: 'restricted_zone_entry', severity: 'high', at: 1_700_000_000_000 + i, data });
  while (feed.status().queueDepth + feed.status().inFlight > 0) await sleep(5);
  console.log(`a queue of ${backlog} events (QoS 1) drains in ${Date.now() - t1} ms`);
  // CPU per event message, end to end (serialise, queue, MQTT packet, socket write, PUBACK), at load.
  const total = 20_000;
  const cpu0 = process.cpuUsage();
  for (let sent = 0; sent < total; sent += 500) {
    for (let i = 0; i < 500; i++) feed.eventStarted({ uid: `c-${sent + i}`, cameraId: 'cam-1', zoneId: 'lawn', type: 'restricted_zone_entry', severity: 'high', at: 1_700_000_000_000 + i, data });
    while (feed.status().queueDepth + feed.status().inFlight > 0) await sleep(1);
  }
  const cpu = process.cpuUsage(cpu0);
  const perEventUs = (cpu.user + cpu.system) / total;
  console.log(`CPU per event message, end to end: ${perEventUs.toFixed(1)} us (${total} messages, QoS 1)`);
  await feed.close();
  // CPU per zone reading, end to end (read, compare, serialise, QoS 0 retained publish): 8 cameras x 3 zones changing at every read.
  let tick = 0;
  const zoneFeed = MqttFeed.start(MqttConfigSchema.parse({ url: broker.url, topicPrefix: 'cost-zones', statsIntervalSeconds: 3600 }), { siteId: 'cost', log, registry: new Registry(), audit: { record: () => undefined }, zones: zones(() => tick++) });
  await sleep(500);
  const reads = 1000;
  const cpu1 = process.cpuUsage();
  for (let i = 0; i < reads; i++) {
    zoneFeed.publishZones();
    while (zoneFeed.status().queueDepth + zoneFeed.status().inFlight > 0) await sleep(1);
  }
  const zoneCpu = process.cpuUsage(cpu1);
  const perZoneUs = (zoneCpu.user + zoneCpu.system) / (reads * 24);
  console.log(`CPU per zone reading, end to end: ${perZoneUs.toFixed(1)} us (${reads * 24} readings, QoS 0 retained)`);
  for (const interval of [5, 1]) {
    const usPerSecond = 10 * perEventUs + (24 / interval) * perZoneUs;
    console.log(`=> 10 event msgs/s + 24 zones every ${interval} s: ${(usPerSecond / 1000).toFixed(2)} ms CPU per second (${(usPerSecond / 10_000).toFixed(3)} % of one core)`);
  }
  await zoneFeed.close();
} finally {
  broker.stop();
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerProcess, Subscriber } from '../../test-helpers/mqtt-broker';
import { CameraSimulator } from '../../streams';
import { parseConfig } from '../config';
import { DEMO_ZONES } from '../demo';
import type { EventMessage } from '../mqtt';
import { FACE_DATA_FIELDS } from '../mqtt/face-data';
import { GatewayService } from '../service';

const dir = mkdtempSync(join(tmpdir(), 'gw-mqtt-e2e-'));
let sim: CameraSimulator;
let broker: BrokerProcess;
let sub: Subscriber;
let gateway: GatewayService | undefined;

beforeAll(async () => {
  [sim, broker] = await Promise.all([CameraSimulator.start({ cameras: [{ name: 'queue-hall' }, { name: 'back-street' }] }), BrokerProcess.start()]);
  sub = await Subscriber.connect(broker.url, 'gateway/mqtt-e2e/#');
  const config = parseConfig({
    site: { id: 'mqtt-e2e', name: 'MQTT end to end' },
    cameras: [
      { id: 'queue-hall', url: sim.url('queue-hall'), zones: DEMO_ZONES['queue-hall'], clips: false },
      { id: 'back-street', url: sim.url('back-street'), zones: DEMO_ZONES['back-street'], clips: false },
    ],
    storage: { dataDir: dir },
    api: { host: '127.0.0.1', port: 0 },
    mqtt: { url: broker.url, statsIntervalSeconds: 1 },
  });
  gateway = await GatewayService.start(config, pino({ level: 'warn' }));
});
afterAll(async () => {
  await gateway?.stop();
  await sub?.close();
  await Promise.all([sim?.stop(), broker?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const P = 'gateway/mqtt-e2e';
const events = (s: Subscriber) => s.on(`${P}/events`).map((m) => JSON.parse(m.payload) as EventMessage);

describe('MQTT feed of a running gateway (RTSP simulator, the demo zones, a real broker process)', () => {
  it('a subscriber gets availability, camera states, queue counts and the lawn incident start and end, with no face data', async () => {
    expect(await sub.waitFor((s) => s.last(`${P}/availability`)?.payload === 'online', 30_000)).toBe(true);
    expect(await sub.waitFor((s) => ['queue-hall', 'back-street'].every((c) => (JSON.parse(s.last(`${P}/cameras/${c}/state`)?.payload ?? '{}') as { state?: string }).state === 'streaming'), 60_000)).toBe(true);
    expect(await sub.waitFor((s) => s.on(`${P}/zones/queue-hall/queue-a`).length > 0 && s.on(`${P}/zones/back-street/lawn`).length > 0, 30_000)).toBe(true);
    const queue = JSON.parse(sub.last(`${P}/zones/queue-hall/queue-a`)!.payload) as { type: string; count: number };
    expect(queue.type).toBe('queue');
    expect(queue.count).toBeGreaterThanOrEqual(0);
    // Retained: a subscriber arriving now gets the zone and the camera states at once.
    const late = await Subscriber.connect(broker.url, `${P}/+/queue-hall/#`);
    try {
      expect(await late.waitFor((s) => s.on(`${P}/zones/queue-hall/queue-a`).length > 0 && s.on(`${P}/cameras/queue-hall/state`).length > 0)).toBe(true);
      expect(late.messages.every((m) => m.retain)).toBe(true);
    } finally {
      await late.close();
    }
    // People cross the lawn from 51 s into the looping video (benchmarks/groundtruth).
    const lawnStart = (s: Subscriber) => events(s).find((e) => e.type === 'start' && e.event === 'restricted_zone_entry' && e.zone === 'lawn');
    expect(await sub.waitFor((s) => lawnStart(s) !== undefined, 150_000)).toBe(true);
    const start = lawnStart(sub)!;
    expect(start).toMatchObject({ camera: 'back-street', severity: 'high', data: { incident: true } });
    // Stopping the gateway ends the open incident, and the feed sends that before going offline.
    await gateway!.stop();
    gateway = undefined;
    expect(await sub.waitFor((s) => events(s).some((e) => e.type === 'end' && e.uid === start.uid) && s.last(`${P}/availability`)?.payload === 'offline', 15_000)).toBe(true);
    const end = events(sub).find((e) => e.type === 'end' && e.uid === start.uid)!;
    expect(end).toMatchObject({ event: 'restricted_zone_entry', camera: 'back-street', zone: 'lawn', startedAt: start.startedAt });
    const all = sub.messages.map((m) => m.payload).join('\n');
    for (const field of FACE_DATA_FIELDS) expect(all).not.toContain(`"${field}"`);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, skipBackend, useDatabases } from '../../central-sync/test/helpers/central';
import { browserUnavailable } from '../../test-helpers/browser';
import { DEAD_CAMERA_URL, startConsoleRig, until, type ConsoleRig } from './central-console-rig';

const dbs = useDatabases();
const noBrowser = browserUnavailable();

interface FleetJson {
  gateways: Array<{ gatewayId: string; siteId: string; revokedAt: number | null; sinceHeartbeatMs: number | null; cameras: Array<{ cameraId: string; state: string; reason: string | null }> }>;
}

describe.each(BACKENDS)('the central console on %s, fed by two real gateways', (backend) => {
  describe.skipIf(skipBackend(backend) || noBrowser !== undefined)(backend, () => {
    let rig: ConsoleRig;
    beforeAll(async () => {
      rig = await startConsoleRig(backend, await dbs.fresh(backend));
    });
    afterAll(async () => {
      await rig?.stop();
    });

    it('the rig: both gateways heartbeat, one camera streams, the other reconnects on a dead URL, events and queue minutes reach central', async () => {
      const { north, south } = rig;
      expect(DEAD_CAMERA_URL).toContain(':9/');
      const fleet = await until('both gateways with the camera states in the fleet', async () => {
        const r = await rig.call<FleetJson>('GET', '/v1/fleet');
        const byId = new Map(r.json.gateways.map((g) => [g.gatewayId, g]));
        const n = byId.get(north.gatewayId);
        const s = byId.get(south.gatewayId);
        const ok = n?.cameras.some((c) => c.state === 'streaming') && s?.cameras.some((c) => c.state === 'reconnecting') && n.sinceHeartbeatMs !== null && s.sinceHeartbeatMs !== null;
        return ok ? { n: n!, s: s! } : undefined;
      }, 40_000, 500);
      expect(fleet.n.siteId).toBe(north.id);
      expect(fleet.s.cameras.find((c) => c.state === 'reconnecting')?.reason).toBe('connection_refused');

      const uid = rig.raiseEvent(north, { type: 'intrusion', severity: 'high', zoneId: 'staff', trackId: 7, data: { score: 0.91 } });
      rig.updateEvent(north, uid, { dwellS: 12 });
      rig.endEvent(north, uid, { dwellS: 20 });
      const ev = await rig.eventAtCentral(north, uid, { ended: true });
      expect(ev).toMatchObject({ siteId: north.id, gatewayId: north.gatewayId, cameraId: north.camera, type: 'intrusion', severity: 'high' });

      const minute = Math.floor(Date.now() / 60_000) - 1;
      rig.queueMinute(south, { cameraId: south.camera, zoneId: 'line', minute, avgCount: 3.5, maxCount: 5, departures: 4, estWaitSeconds: 95, occupiedRatio: 0.75 });
      await rig.drained(south);
      const stats = await rig.call<{ series: Array<{ siteId: string; zoneId: string; minute: number; estWaitS: number | null }> }>('GET', `/v1/queue-stats?site=${south.id}`);
      expect(stats.json.series).toEqual([expect.objectContaining({ siteId: south.id, zoneId: 'line', minute: minute * 60_000, estWaitS: 95 })]);
    });
  });
});

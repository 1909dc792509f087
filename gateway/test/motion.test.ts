import { describe, expect, it } from 'vitest';
import { videoFrame } from '../../test-helpers/media';
import { MotionGate } from '../pipeline/motion';

describe('motion gate', () => {
  it('passes a moving street scene, skips a static one except for the heartbeat, and flags blackout', async () => {
    const gate = new MotionGate({ threshold: 0.006, heartbeatMs: 5000, tamperThreshold: 0.35, blackoutBelow: 0.03 });
    const a = videoFrame('vtest.avi', 100);
    const b = videoFrame('vtest.avi', 105);
    expect((await gate.check(a, 0)).detect).toBe(true);
    const moving = await gate.check(b, 1000);
    expect(moving.reason).toBe('motion');
    const still1 = await gate.check(b, 2000);
    const still2 = await gate.check(b, 3000);
    expect([still1.reason, still2.reason]).toEqual(['static', 'static']);
    expect((await gate.check(b, 6500)).reason).toBe('heartbeat');
    const black = { data: new Uint8Array(a.data.length), width: a.width, height: a.height };
    const r = await gate.check(black, 7000);
    expect(r.tamper).toBe('blackout');
    expect(gate.skipped).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { footPoint, isArmed, pointInPolygon, QueueAnalytics } from '../zones';

describe('zones', () => {
  it('tests points against concave polygons', () => {
    const l: Array<[number, number]> = [[0, 0], [0.6, 0], [0.6, 0.3], [0.3, 0.3], [0.3, 1], [0, 1]];
    expect(pointInPolygon(0.1, 0.9, l)).toBe(true);
    expect(pointInPolygon(0.5, 0.1, l)).toBe(true);
    expect(pointInPolygon(0.5, 0.9, l)).toBe(false);
    expect(pointInPolygon(1.2, 0.5, l)).toBe(false);
    expect(footPoint({ x1: 100, y1: 50, x2: 140, y2: 150 }, 400, 200)).toEqual([0.3, 0.75]);
  });

  it('arms a restricted zone by weekly windows in the site time zone, across midnight', () => {
    const schedule = { windows: [{ days: ['mon' as const], start: '18:00', end: '07:00' }] };
    const tz = 'Asia/Ho_Chi_Minh'; // UTC+7
    // Monday 2026-11-23 19:00 local = 12:00 UTC.
    expect(isArmed(schedule, new Date('2026-11-23T12:00:00Z'), tz)).toBe(true);
    // Tuesday 06:30 local (still the Monday night window).
    expect(isArmed(schedule, new Date('2026-11-23T23:30:00Z'), tz)).toBe(true);
    // Tuesday 07:30 local.
    expect(isArmed(schedule, new Date('2026-11-24T00:30:00Z'), tz)).toBe(false);
    // Monday 17:59 local.
    expect(isArmed(schedule, new Date('2026-11-23T10:59:00Z'), tz)).toBe(false);
    expect(isArmed(undefined, new Date(), tz)).toBe(true);
  });

  it('estimates waiting time from the measured service rate (Little’s law)', () => {
    const q = new QueueAnalytics();
    const t0 = 1_000_000;
    for (let id = 1; id <= 6; id++) q.enter(id, t0);
    expect(q.snapshot(t0 + 60_000)).toMatchObject({ count: 6, estimatedWaitSeconds: null });
    // Two people served per minute for 3 minutes.
    let id = 1;
    for (let m = 1; m <= 3; m++) {
      q.leave(id++, t0 + m * 60_000 - 20_000);
      q.leave(id++, t0 + m * 60_000);
    }
    const s = q.snapshot(t0 + 3 * 60_000);
    expect(s.count).toBe(0);
    expect(s.serviceRatePerMinute).toBeCloseTo(2, 0);
    for (let k = 10; k < 14; k++) q.enter(k, t0 + 3 * 60_000);
    const later = q.snapshot(t0 + 3 * 60_000 + 30_000);
    expect(later.count).toBe(4);
    expect(later.waitingSeconds).toEqual([30, 30, 30, 30]);
    expect(later.estimatedWaitSeconds).toBeGreaterThanOrEqual(100);
    expect(later.estimatedWaitSeconds).toBeLessThanOrEqual(150);
  });
});

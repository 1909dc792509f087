import { describe, expect, it } from 'vitest';
import { caseSql, summarize, summarizePlan } from './scale-plan';
import { scanList } from './scale-report';

describe('scale benchmark helpers', () => {
  it('summarizes runs as nearest-rank p50 / p95 and the max', () => {
    const ms = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 .. 1, unsorted on purpose
    expect(summarize(ms)).toEqual({ runs: 20, p50Ms: 10, p95Ms: 19, maxMs: 20 });
    expect(summarize([])).toEqual({ runs: 0, p50Ms: 0, p95Ms: 0, maxMs: 0 });
  });

  it('reads the scans, indexes and work of an EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) plan', () => {
    const plan = [
      {
        Plan: {
          'Node Type': 'Limit',
          'Shared Hit Blocks': 40,
          'Shared Read Blocks': 2,
          Plans: [
            {
              'Node Type': 'Nested Loop',
              Plans: [
                { 'Node Type': 'Index Scan Backward', 'Relation Name': 'events', 'Index Name': 'events_site_started', 'Actual Rows': 101, 'Actual Loops': 1, 'Rows Removed by Filter': 900 },
                { 'Node Type': 'Seq Scan', 'Relation Name': 'queue_stats', 'Actual Rows': 5, 'Actual Loops': 2 },
                { 'Node Type': 'Seq Scan', 'Relation Name': 'sites', 'Actual Rows': 500, 'Actual Loops': 1 },
                { 'Node Type': 'Bitmap Heap Scan', 'Relation Name': 'events', 'Actual Rows': 7, Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'events_type_started', 'Actual Rows': 70 }] },
                { 'Node Type': 'Hash', Plans: [{ 'Node Type': 'Index Only Scan', 'Relation Name': 'events', 'Index Name': 'events_started', 'Actual Rows': 3 }] },
              ],
            },
          ],
        },
        'Execution Time': 12.345,
      },
    ];
    expect(summarizePlan(plan, ['events', 'queue_stats'])).toEqual({
      scans: ['Index Scan Backward on events using events_site_started', 'Seq Scan on queue_stats', 'Seq Scan on sites', 'Bitmap Heap Scan on events', 'Bitmap Index Scan using events_type_started', 'Index Only Scan on events using events_started'],
      indexes: ['events_site_started', 'events_type_started', 'events_started'],
      bigSeqScans: ['queue_stats'],
      rowsRead: 101 + 900 + 10 + 500 + 7 + 3,
      rowsRemovedByFilter: 900,
      sharedBlocks: 42,
      executionMs: 12.3,
    });
  });

  it('turns weights into one CASE over a single uniform draw, last value as ELSE', () => {
    expect(caseSql('r', [['a', 1], ['b', 3], ["o'k", 4]])).toBe("CASE WHEN r < 0.125000 THEN 'a' WHEN r < 0.500000 THEN 'b' ELSE 'o''k' END");
  });

  it('writes repeated scans once with their count, in first-seen order', () => {
    expect(scanList(['Bitmap Heap Scan on gateway_perf', 'Bitmap Index Scan using gateway_perf_pkey', 'Bitmap Index Scan using gateway_perf_pkey', 'Bitmap Index Scan using gateway_perf_slot'])).toBe(
      'Bitmap Heap Scan on gateway_perf + 2 × Bitmap Index Scan using gateway_perf_pkey + Bitmap Index Scan using gateway_perf_slot',
    );
    expect(scanList([])).toBe('');
  });
});

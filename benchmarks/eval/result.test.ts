import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureEvalReport } from './fixture-report';
import { latestEvalReport, writeEvalReport } from './result';

const dir = mkdtempSync(join(tmpdir(), 'eval-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eval result files', () => {
  it('writes eval-<date>-<machine>.json/.md and picks the newest valid one, skipping others', () => {
    expect(latestEvalReport(join(dir, 'none'))).toBeUndefined();
    const older = writeEvalReport(fixtureEvalReport(), '# older\n', dir);
    const newer = writeEvalReport({ ...fixtureEvalReport(), date: '2026-11-30T08:00:00.000Z' }, '# newer\n', dir);
    expect(newer.json).toBe(join(dir, 'eval-2026-11-30-fixture.json'));
    expect(newer.markdown).toBe(join(dir, 'eval-2026-11-30-fixture.md'));
    // Newer dates that are not eval results: broken JSON, another kind, a report missing its targets.
    writeFileSync(join(dir, 'eval-2026-12-24-broken.json'), '{');
    writeFileSync(join(dir, 'eval-2026-12-25-bench.json'), JSON.stringify({ ...fixtureEvalReport(), kind: 'bench', date: '2026-12-25T00:00:00.000Z' }));
    const { targets: _dropped, ...noTargets } = { ...fixtureEvalReport(), date: '2026-12-26T00:00:00.000Z' };
    writeFileSync(join(dir, 'eval-2026-12-26-partial.json'), JSON.stringify(noTargets));
    expect(latestEvalReport(dir)).toMatchObject({ file: newer.json, report: { date: '2026-11-30T08:00:00.000Z', commit: 'def5678' } });
    expect(older.json).not.toBe(newer.json);
  });
});

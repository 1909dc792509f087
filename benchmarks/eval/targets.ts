/**
 * The accuracy targets of issue 13 on vtest.avi, judged on a split's figures: met, or missed and
 * by how much. Reported, never asserted in tests.
 */
import type { SplitFigures } from './score';

export interface TargetResult {
  id: 'countError' | 'detection' | 'fragmentation' | 'restrictedAlerts' | 'lineCrossings';
  target: string;
  /** The figure, in words. */
  value: string;
  /** null: no figure (e.g. no restricted zone, no labelled person). */
  met: boolean | null;
  /** When missed: by how much, in words. */
  missedBy: string | null;
}

const pct = (v: number): string => `${Math.round(v * 10) / 10}%`;
/** |found - truth| / truth, as a percentage (0 when both are 0, Infinity when only truth is 0). */
export const relativeErrorPct = (found: number, truth: number): number => (truth === 0 ? (found === 0 ? 0 : Infinity) : (100 * Math.abs(found - truth)) / truth);

function within(found: number, truth: number, tolerancePct: number): { ok: boolean; err: number } {
  const err = relativeErrorPct(found, truth);
  return { ok: err <= tolerancePct + 1e-9, err };
}

export function judgeTargets(f: SplitFigures): TargetResult[] {
  const out: TargetResult[] = [];
  const c = f.count;
  out.push({
    id: 'countError',
    target: 'per-frame person count MAE <= 5% of the mean count',
    value: c.maePct === null ? 'no labelled frame' : `MAE ${c.mae} of mean ${c.meanTrue} = ${pct(c.maePct)}`,
    met: c.maePct === null ? null : c.maePct <= 5,
    missedBy: c.maePct !== null && c.maePct > 5 ? `${Math.round((c.maePct - 5) * 10) / 10} percentage points over` : null,
  });
  const d = f.detection;
  const short = [d.recall !== null && d.recall < 0.9 ? `recall ${Math.round((0.9 - d.recall) * 1000) / 1000} short` : '', d.precision !== null && d.precision < 0.9 ? `precision ${Math.round((0.9 - d.precision) * 1000) / 1000} short` : ''].filter(Boolean);
  out.push({
    id: 'detection',
    target: `recall >= 0.9 at precision >= 0.9, people >= 48 px tall (detector at personThreshold ${d.threshold})`,
    value: `recall ${d.recall ?? '—'}, precision ${d.precision ?? '—'}`,
    met: d.recall === null || d.precision === null ? null : short.length === 0,
    missedBy: short.length ? short.join(', ') : null,
  });
  const t = f.tracking;
  out.push({
    id: 'fragmentation',
    target: '<= 1.2 tracks per labelled person',
    value: t.tracksPerPerson === null ? 'no person matched' : `${t.tracksPerPerson} tracks per person (${t.identitiesMatched} people)`,
    met: t.tracksPerPerson === null ? null : t.tracksPerPerson <= 1.2,
    missedBy: t.tracksPerPerson !== null && t.tracksPerPerson > 1.2 ? `${Math.round((t.tracksPerPerson - 1.2) * 1000) / 1000} over` : null,
  });
  const restricted = f.zones.filter((z) => z.trueIncidents !== null);
  const judged = restricted.map((z) => ({ z, ...within(z.incidentsRaised ?? 0, z.trueIncidents ?? 0, 20) }));
  out.push({
    id: 'restrictedAlerts',
    target: 'restricted-zone alerts within ±20% of true episodes (occupancy episodes merged over the cool-down: one incident each)',
    value: judged.length ? judged.map(({ z, err }) => `${z.zoneId}: ${z.incidentsRaised} raised vs ${z.trueIncidents} true (${Number.isFinite(err) ? pct(err) : '∞'} off)`).join('; ') : 'no restricted zone',
    met: judged.length ? judged.every((j) => j.ok) : null,
    missedBy: judged.some((j) => !j.ok) ? judged.filter((j) => !j.ok).map(({ z, err }) => `${z.zoneId} ${Number.isFinite(err) ? pct(err - 20) : '∞'} beyond ±20%`).join('; ') : null,
  });
  const lines = f.lines.flatMap((l) => [
    { label: `${l.zoneId} in`, ...within(l.foundIn, l.trueIn, 5), found: l.foundIn, truth: l.trueIn },
    { label: `${l.zoneId} out`, ...within(l.foundOut, l.trueOut, 5), found: l.foundOut, truth: l.trueOut },
  ]);
  out.push({
    id: 'lineCrossings',
    target: 'line crossings within ±5% per direction',
    value: lines.length ? lines.map((l) => `${l.label}: ${l.found} found vs ${l.truth} true`).join('; ') : 'no line zone',
    met: lines.length ? lines.every((l) => l.ok) : null,
    missedBy: lines.some((l) => !l.ok) ? lines.filter((l) => !l.ok).map((l) => `${l.label} ${Number.isFinite(l.err) ? pct(l.err - 5) : '∞'} beyond ±5%`).join('; ') : null,
  });
  return out;
}

/**
 * The evaluation as report blocks (benchmarks/report/document.ts's Block): the eval's own Markdown
 * file, the section in `npm run bench`'s report, and the console table all come from here.
 */
import type { Block } from '../report/document';
import type { SplitName } from './groundtruth';
import type { EvalReport } from './result';
import type { SplitFigures } from './score';
import type { TargetResult } from './targets';

const SPLITS: SplitName[] = ['overall', 'dev', 'holdout'];
/** As the bench report's num(): at most `digits` decimals, an em dash for no figure (no import: that module imports this one). */
const num = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits }));
const n = (v: number | null | undefined, d = 3): string => num(v, d);
const pr = (p: number | null, r: number | null): string => `${n(p)} / ${n(r)}`;
const pctOf = (v: number | null): string => (v === null ? '—' : `${num(v, 1)}%`);

/** Figure rows: [figure, overall, dev, holdout]. */
export function figureRows(figures: Record<SplitName, SplitFigures>): string[][] {
  const row = (label: string, f: (s: SplitFigures) => string): string[] => [label, ...SPLITS.map((s) => f(figures[s]))];
  const o = figures.overall;
  const rows = [
    row('labelled frames (observed frames)', (s) => `${s.labelledFrames} (${s.observedFrames})`),
    row(`detector precision / recall, IoU 0.5, people >= 48 px (score >= ${o.detection.threshold})`, (s) => pr(s.detection.precision, s.detection.recall)),
    row('detector TP / FP / FN (don’t-care boxes)', (s) => `${s.detection.tp} / ${s.detection.fp} / ${s.detection.fn} (${s.detection.ignored})`),
    row('detector: best recall at precision >= 0.9 (score threshold)', (s) => (s.bestRecallAtP90 ? `${n(s.bestRecallAtP90.recall)} (${s.bestRecallAtP90.threshold})` : 'none reaches 0.9')),
    row('confirmed tracks as detections: precision / recall', (s) => pr(s.tracks.precision, s.tracks.recall)),
    row('people in view per frame: true / counted (mean)', (s) => `${n(s.count.meanTrue, 2)} / ${n(s.count.meanFound, 2)}`),
    row('count MAE per frame (% of mean true)', (s) => `${n(s.count.mae, 2)} (${pctOf(s.count.maePct)})`),
    row('tracks per labelled person (max)', (s) => `${n(s.tracking.tracksPerPerson, 2)} (${s.tracking.maxTracksPerPerson})`),
    row('people matched / labelled', (s) => `${s.tracking.identitiesMatched} / ${s.tracking.identities}`),
    row('identity switches', (s) => String(s.tracking.idSwitches)),
    row('IDF1 (IDP / IDR)', (s) => `${n(s.tracking.idf1)} (${n(s.tracking.idp)} / ${n(s.tracking.idr)})`),
  ];
  o.zones.forEach((z, i) => {
    const at = (s: SplitFigures) => s.zones[i]!;
    rows.push(row(`zone ${z.zoneId} (${z.type}): count MAE (% of mean true ${n(z.count.meanTrue, 2)})`, (s) => `${n(at(s).count.mae, 2)} (${pctOf(at(s).count.maePct)})`));
    rows.push(row(`zone ${z.zoneId}: entry episodes true / found`, (s) => `${at(s).trueEpisodes} / ${at(s).entriesFound}`));
    if (z.trueIncidents !== null) rows.push(row(`zone ${z.zoneId}: incidents true / raised (cool-down ${z.coolDownSeconds} s)`, (s) => `${at(s).trueIncidents} / ${at(s).incidentsRaised}`));
  });
  o.lines.forEach((l, i) => {
    const at = (s: SplitFigures) => s.lines[i]!;
    rows.push(row(`line ${l.zoneId} (in = ${l.inDirection}): in true / found`, (s) => `${at(s).trueIn} / ${at(s).foundIn}`));
    rows.push(row(`line ${l.zoneId}: out true / found`, (s) => `${at(s).trueOut} / ${at(s).foundOut}`));
  });
  return rows;
}

const verdict = (t: TargetResult | undefined): string => (!t || t.met === null ? '—' : t.met ? '**met**' : '**missed**');

/** Target rows: [target, overall figure, verdict, missed by, holdout verdict]. */
export function targetRows(targets: Record<SplitName, TargetResult[]>): string[][] {
  return targets.overall.map((t) => {
    const holdout = targets.holdout.find((h) => h.id === t.id);
    return [t.target, t.value, verdict(t), t.missedBy ?? '', `${verdict(holdout)}${holdout?.missedBy ? ` (${holdout.missedBy})` : ''}`];
  });
}

const table = (head: string[], rows: string[][]): Block => ({ kind: 'table', head, rows, align: head.map(() => 'left') });

/** The blocks both the eval's own file and the bench report show (headings from `level`). */
export function evalBlocks(r: EvalReport, level: 1 | 2 = 1): Block[] {
  const sub = (level + 1) as 2 | 3;
  const g = r.groundTruth;
  return [
    {
      kind: 'paragraph',
      text:
        `Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.host} (${r.machine.cpuModel}, ${r.machine.cores} cores, ORT ${r.machine.provider}), commit \`${r.commit}\`${r.dirty ? ' (with uncommitted changes)' : ''}. ` +
        `Ground truth \`${g.file}\` (sha256 ${g.sha256}): ${g.labelledFrames} frames of ${g.video} labelled by hand every ${g.labelledEvery} frames, ${g.identities} identities (${g.visits} visits: an identity unseen for 3 s or more comes back as a new one); dev frames ${g.split.dev.fromFrame}-${g.split.dev.toFrame}, holdout ${g.split.holdout.fromFrame}-${g.split.holdout.toFrame} (kept aside: never tune on it).`,
    },
    { kind: 'heading', level: sub, text: 'Targets (issue 13)' },
    table(['target', 'figure (whole video)', 'whole video', 'missed by', 'holdout'], targetRows(r.targets)),
    { kind: 'heading', level: sub, text: 'Figures' },
    table(['figure', 'whole video', 'dev', 'holdout'], figureRows(r.figures)),
  ];
}

/** The eval's own Markdown file. */
export function evalDocument(r: EvalReport): Block[] {
  const s = r.settings;
  return [
    { kind: 'heading', level: 1, text: `Accuracy evaluation: ${r.groundTruth.video}, ${r.date.slice(0, 10)}` },
    ...evalBlocks(r, 1),
    { kind: 'heading', level: 2, text: 'Detector by score threshold (dev frames only)' },
    {
      kind: 'paragraph',
      text: `Precision / recall of the detector's boxes at each score threshold on the dev frames, for choosing personThreshold there (the detector reports boxes down to ${r.figures.dev.detectionSweep[0]?.threshold ?? 0.2}; the holdout is not shown, so nothing is tuned on it).`,
    },
    table(['score >=', ...r.figures.dev.detectionSweep.map((p) => String(p.threshold))], [
      ['precision', ...r.figures.dev.detectionSweep.map((p) => n(p.precision))],
      ['recall', ...r.figures.dev.detectionSweep.map((p) => n(p.recall))],
    ]),
    { kind: 'heading', level: 2, text: 'People split over several tracks (dev frames only)' },
    r.figures.dev.tracking.fragmented.length
      ? { kind: 'list', items: r.figures.dev.tracking.fragmented.map((f) => `${f.person}: ${f.tracks.map((t) => `track ${t.id} frames ${t.fromFrame}-${t.toFrame}`).join(', ')}`) }
      : { kind: 'paragraph', text: 'None.' },
    { kind: 'heading', level: 2, text: 'Settings' },
    {
      kind: 'list',
      items: [
        `The real pipeline: gateway CameraPipeline, InferencePool (${s.provider}), person detector, tracker and zone rules at the configuration defaults (personThreshold ${s.personThreshold}, detect ${s.detectFps} fps at ${s.detectSize.width}x${s.detectSize.height}, every ${s.every === 2 ? '2nd' : `${s.every}th`} video frame, no letterbox, motion gate ${s.motionGate ? 'on' : 'off'}, site time zone ${s.timeZone}).`,
        `Zones: the demo cameras' (DEMO_ZONES in gateway/demo.ts) on one camera: ${s.zones.map((z) => `\`${z.id}\` (${z.type})`).join(', ')}.`,
        `Frames: capturedAt = ${s.t0} + frame x 100 ms; ${r.run.framesDelivered} frames handed to the pipeline, ${r.run.detectedFrames} detected, ${r.run.observedFrames} observed; ${num(r.run.wallSeconds, 1)} s.`,
        `Events started: ${Object.entries(r.run.eventsByType).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; sink calls start/update/end ${r.run.sinkCalls.start}/${r.run.sinkCalls.update}/${r.run.sinkCalls.end}.`,
        ...Object.entries(r.run.minuteCrossings).map(([z, c]) => `Line ${z}: per-minute statistics sum to ${c.in} in / ${c.out} out.`),
        `Ground truth: ${r.groundTruth.method}`,
      ],
    },
    { kind: 'heading', level: 2, text: 'How it is scored' },
    {
      kind: 'list',
      items: [
        'Boxes mapped from the detect size back to the video’s pixels; on each labelled frame they are matched one-to-one to the scored people (not marked ignore, at least 48 px tall) at IoU >= 0.5, maximising the total IoU.',
        'Don’t-care: a box left unmatched that overlaps an ignored or shorter person at IoU >= 0.5, or is itself under 48 px tall, is neither TP nor FP.',
        'Count: confirmed tracks in the frame (the people the product counts) against labelled people not marked ignore; MAE per frame and as % of the mean true count.',
        'Tracking: each person’s last matched track is kept while it overlaps (CLEAR-MOT); tracks per person = distinct tracks matched to each labelled person; a switch = a person matched to another track than at their previous match; IDF1 from one global one-to-one assignment person <-> track maximising the frames they overlap.',
        'Zones: the foot point (bottom centre, normalised) in the polygon. An entry episode is a run of labelled frames a person stands inside (one frame outside or unlabelled between does not end it); found = zone entries the product recorded. Restricted zones: true incidents = occupancy periods merged when the zone was empty no longer than the cool-down; raised = restricted_zone_entry events started.',
        'Lines: a person’s foot point crossing the segment between two consecutive labelled appearances, in when the side change agrees with the line normal’s dot product with inDirection; found = the product’s live crossing counters.',
        'Targets are judged on the whole video; the holdout column shows the part kept aside. They are reported, not asserted by tests.',
      ],
    },
    ...(r.notes.length ? [{ kind: 'heading', level: 2, text: 'Notes' } as Block, { kind: 'list', items: r.notes } as Block] : []),
  ];
}

/** A plain-text table for the console. */
export function consoleTable(rows: string[][], head: string[]): string {
  const plain = (s: string) => s.replace(/\*\*/g, '').replace(/`/g, '');
  const all = [head, ...rows].map((r) => r.map(plain));
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r, k) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ') + (k === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : '')).join('\n');
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../gateway/config';
import { DEFAULT_GROUND_TRUTH, isScored, loadGroundTruth } from './groundtruth';
import { latestEvalReport } from './result';
import { runEval } from './run';

/**
 * One run of the real pipeline (detector, tracker, zone rules) over vtest.avi, scored against the
 * repository's ground truth: the whole video at 5 fps (398 frames, 80 of them labelled). Asserts
 * that the run and the scoring are complete and consistent, never accuracy (the targets are
 * reported by `npm run eval`).
 */
const out = mkdtempSync(join(tmpdir(), 'eval-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run eval on vtest.avi against benchmarks/groundtruth/vtest.json', () => {
  it('runs the pipeline on every frame and scores every labelled frame, with consistent figures', async () => {
    const gt = loadGroundTruth(DEFAULT_GROUND_TRUTH);
    const frames = Math.ceil(gt.video.frames / 2);
    const { report, files } = await runEval({ out, threadsPerWorker: 2 });

    // Every second video frame reached the detector and the observer, none dropped.
    const defaults = parseConfig({ site: { id: 's', name: 'S' }, cameras: [{ id: 'c', url: 'x' }] }, {});
    expect(report.settings).toMatchObject({ detectFps: 5, detectSize: { width: 640, height: 360 }, every: 2, personThreshold: defaults.models.personThreshold });
    expect(report.run).toMatchObject({ framesDelivered: frames, detectedFrames: frames, observedFrames: frames });

    // Every labelled frame scored, split into dev and holdout without loss; people scored as visits.
    const { overall, dev, holdout } = report.figures;
    expect(report.groundTruth).toMatchObject({ labelledFrames: gt.frames.length, identities: 17 });
    expect(report.groundTruth.visits).toBeGreaterThanOrEqual(17);
    expect(overall.tracking.identities).toBeLessThanOrEqual(report.groundTruth.visits);
    expect(overall.labelledFrames).toBe(gt.frames.length);
    expect(dev.labelledFrames + holdout.labelledFrames).toBe(overall.labelledFrames);
    expect(overall.count.frames).toBe(gt.frames.length);

    // Detection: every scored person is either found or missed, in each split.
    const scored = gt.frames.reduce((a, f) => a + f.people.filter(isScored).length, 0);
    for (const s of [overall, dev, holdout]) {
      expect(s.detection.tp + s.detection.fn).toBe(s.detection.scoredPeople);
      expect(s.tracks.tp + s.tracks.fn).toBe(s.detection.scoredPeople);
      expect(s.tracking.gtBoxes).toBe(s.detection.scoredPeople);
      expect(s.tracking.idtp).toBeLessThanOrEqual(Math.min(s.tracking.gtBoxes, s.tracking.trackBoxes));
      expect(s.tracking.identitiesMatched).toBeLessThanOrEqual(s.tracking.identities);
    }
    expect(overall.detection.scoredPeople).toBe(scored);
    expect(dev.detection.scoredPeople + holdout.detection.scoredPeople).toBe(scored);
    // The mean true count is the labelled people not marked ignore.
    const visible = gt.frames.reduce((a, f) => a + f.people.filter((p) => !p.ignore).length, 0);
    expect(overall.count.meanTrue).toBeCloseTo(visible / gt.frames.length, 3);
    // The product saw people: confirmed tracks and detections on most frames.
    expect(overall.detection.tp).toBeGreaterThan(0);
    expect(overall.count.meanFound).toBeGreaterThan(0);

    // Every demo zone scored, with dev + holdout = whole video for episodes and incidents.
    expect(overall.zones.map((z) => z.zoneId)).toEqual(report.settings.zones.filter((z) => z.type !== 'line').map((z) => z.id));
    overall.zones.forEach((z, i) => {
      expect(dev.zones[i]!.trueEpisodes + holdout.zones[i]!.trueEpisodes).toBe(z.trueEpisodes);
      expect(dev.zones[i]!.entriesFound + holdout.zones[i]!.entriesFound).toBe(z.entriesFound);
      if (z.type === 'restricted') expect(z.incidentsRaised).toBe(report.run.eventsByType.restricted_zone_entry ?? 0);
    });
    expect(report.targets.overall.map((t) => t.id)).toEqual(['countError', 'detection', 'fragmentation', 'restrictedAlerts', 'lineCrossings']);

    // The files: JSON that round-trips and a Markdown report naming the commit; found as the latest.
    expect(JSON.parse(readFileSync(files!.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    const md = readFileSync(files!.markdown, 'utf8');
    expect(md).toContain('## Targets (issue 13)');
    expect(md).toContain(`commit \`${report.commit}\``);
    expect(latestEvalReport(out)?.file).toBe(files!.json);
  }, 600_000);
});

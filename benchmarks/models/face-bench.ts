import { ensureMedia } from '../../scripts/media';
import { FaceEngine } from '../../models/face';
import { decodeImage } from '../../models/image';
import { Watchlist } from '../../models/watchlist';
import { measure } from '../lib/timing';
import type { StageFigure } from './report';

/** The face engine's stages on a real portrait (astronaut.png, 512x512, one face), 2 threads. */
export async function benchFaceEngine(minMillis: number): Promise<StageFigure[]> {
  const media = ensureMedia(['astronaut.png']);
  const frame = await decodeImage(media['astronaut.png']);
  const engine = await FaceEngine.create({ session: { intraOpThreads: 2 } });
  const [face] = await engine.detect(frame);
  if (!face) throw new Error('benchmark portrait has no face');
  const figures: StageFigure[] = [
    { name: 'face detect, 512x512 frame (sharp resize + RFB-320)', stats: await measure(() => engine.detect(frame), { minMillis }) },
    { name: 'face describe, 1 face (crop, 68 landmarks, align, embed)', stats: await measure(() => engine.describeFaces(frame, [face]), { minMillis }) },
    { name: 'face analyze, 512x512 frame, 1 face (all stages)', stats: await measure(() => engine.analyze(frame), { minMillis }) },
  ];
  await engine.dispose();
  return figures;
}

/** Deterministic unit-ish vectors so runs are reproducible. */
function seededVector(dimension: number, seed: number): Float32Array {
  const v = new Float32Array(dimension);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < dimension; i++) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    v[i] = s / 0xffffffff - 0.5;
  }
  return v;
}

/** Watchlist search over `entries` enrolled people (512-d), top 5. */
export async function benchWatchlist(entries: number, minMillis: number): Promise<StageFigure[]> {
  const list = new Watchlist({ initialCapacity: entries });
  const enrolStarted = performance.now();
  for (let i = 0; i < entries; i++) list.enrol(`person-${i}`, [seededVector(512, i + 1)]);
  const enrolMs = (performance.now() - enrolStarted) / entries;
  const query = seededVector(512, 4242);
  const queries = Array.from({ length: 8 }, (_, i) => seededVector(512, 9000 + i));
  const single = await measure(() => list.search(query, 5), { minMillis });
  const batch = await measure(() => list.searchMany(queries, 5), { minMillis });
  await list.dispose();
  const label = `${entries.toLocaleString('en')} entries`;
  return [
    { name: `watchlist search, ${label}, 1 query, top 5`, stats: single },
    { name: `watchlist search, ${label}, 8 queries in one call, top 5`, stats: batch },
    { name: `watchlist enrol (1 embedding), per person`, stats: { runs: entries, medianMs: Math.round(enrolMs * 1000) / 1000, p99Ms: Number.NaN, meanMs: Math.round(enrolMs * 1000) / 1000 } },
  ];
}

/**
 * CLI: `tsx scripts/simulator-media.ts OUTDIR [576p|720p|1080p ...]` makes the camera simulator's
 * H.264 street video (vtest.avi from opencv-doc, transcoded) and copies it to
 * OUTDIR/street-<resolution>.mp4. The camera-simulator image runs it at build time.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_RESOLUTIONS, simulatorMedia, type SimResolution } from '../streams/simulator/media';

const [outDir, ...requested] = process.argv.slice(2);
if (!outDir) throw new Error('usage: simulator-media.ts OUTDIR [576p|720p|1080p ...]');
const resolutions = requested.length > 0 ? requested : ['720p'];
mkdirSync(outDir, { recursive: true });
for (const resolution of resolutions) {
  if (!(resolution in SIM_RESOLUTIONS)) throw new Error(`unknown resolution '${resolution}': use ${Object.keys(SIM_RESOLUTIONS).join(', ')}`);
  const target = join(outDir, `street-${resolution}.mp4`);
  copyFileSync(simulatorMedia(resolution as SimResolution), target);
  console.log(target);
}

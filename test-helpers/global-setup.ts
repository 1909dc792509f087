import { ensureMedia } from '../scripts/media';
import { ensureCenternetTfjs, ensureFaceModels } from '../models/assets';
import { simulatorMedia } from '../streams/simulator';

/** Runs once before the suite: media and model packages fetched and verified, simulator video transcoded. */
export default function setup(): void {
  ensureMedia();
  ensureFaceModels();
  ensureCenternetTfjs();
  simulatorMedia('720p');
}

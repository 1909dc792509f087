import { ensureMedia } from '../scripts/media';
import { ensureCenternetTfjs, ensureFaceModels } from '../models/assets';

/** Runs once before the suite: media and model packages are fetched and verified up front. */
export default function setup(): void {
  ensureMedia();
  ensureFaceModels();
  ensureCenternetTfjs();
}

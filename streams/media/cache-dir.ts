import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository (this file is streams/media/cache-dir.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Git-ignored cache for fetched media and models; GATEWAY_CACHE_DIR overrides. */
export function cacheDir(): string {
  return process.env.GATEWAY_CACHE_DIR ? resolve(process.env.GATEWAY_CACHE_DIR) : join(REPO_ROOT, '.cache');
}

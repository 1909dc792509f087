/** Moved to streams/media/ (streams/ imports nothing from scripts/); kept for the scripts, models and benchmarks that import it here. */
export { cacheDir, REPO_ROOT } from '../streams/media/cache-dir';

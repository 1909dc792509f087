/** Moved to streams/media/ (streams/ imports nothing from scripts/); kept for the scripts, models, tests and benchmarks that import it here. */
export * from '../streams/media/debian-media';

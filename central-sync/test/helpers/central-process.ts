/** The central process runner lives with the benchmarks (which are not tests); tests use it from there. */
export { spawnCentral, type CentralProcess } from '../../../benchmarks/lib/central-process';

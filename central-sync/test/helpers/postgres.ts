/** The throwaway PostgreSQL server lives with the benchmarks (which are not tests); tests use it from there. */
export { postgresUnavailable, startPostgres, type StartPostgresOptions, type TestPostgres } from '../../../benchmarks/lib/postgres';

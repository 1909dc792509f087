import type { CentralFuzzFixture } from './central-fixture';
import type { FuzzTarget } from './driver';
import { postgresFingerprinter, sqliteFingerprinter, type Fingerprinter } from './fingerprint';

/**
 * Tables a refused request may change by design: `nonces` (a correctly signed request's nonce is
 * claimed once its signature holds, before its body is judged, so a replay of it is refused too)
 * and the migrations record.
 */
const BY_DESIGN = ['nonces', 'schema_migrations'];

/** The central app as a fuzz target, fingerprinted over its own database (SQLite file or PostgreSQL database). */
export async function centralTarget(f: CentralFuzzFixture, databaseUrl: string, name: string): Promise<FuzzTarget> {
  const fingerprint: Fingerprinter = databaseUrl.startsWith('sqlite:')
    ? sqliteFingerprinter(databaseUrl.slice('sqlite:'.length), BY_DESIGN)
    : await postgresFingerprinter(databaseUrl, BY_DESIGN);
  return {
    name,
    send: async (r) => f.app.request(r.path, { method: r.method, headers: r.headers, ...(r.body ? { body: r.body } : {}) }),
    fingerprint,
    takeLoggedErrors: () => f.takeLoggedErrors(),
  };
}

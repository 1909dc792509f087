import { createHash } from 'node:crypto';
import type { FuzzTarget } from './driver';
import { sqliteFingerprinter } from './fingerprint';
import type { GatewayFuzzFixture } from './gateway-fixture';

/** Count, highest id and a hash of the access audit's rows up to `maxId`. */
function auditState(db: ReturnType<typeof sqliteFingerprinter>['db'], maxId = Number.MAX_SAFE_INTEGER): { count: number; maxId: number; hash: string } {
  const rows = db.prepare('SELECT * FROM audit_log WHERE id <= ? ORDER BY id').raw().all(maxId) as unknown[][];
  const last = rows[rows.length - 1];
  return { count: rows.length, maxId: last ? Number(last[0]) : 0, hash: createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16) };
}

/**
 * The gateway API as a fuzz target. A refused request may append one access-audit row (the guard
 * audits every attempt on an audited route, refused or not), and must change nothing else: no
 * other table, no audit row already there.
 */
export function gatewayTarget(f: GatewayFuzzFixture): FuzzTarget {
  const tables = sqliteFingerprinter(f.dbFile, ['audit_log']);
  return {
    name: 'gateway API',
    send: (r) => f.request(r.path, { method: r.method, headers: r.headers, ...(r.body ? { body: r.body } : {}) }),
    fingerprint: {
      async take() {
        const audit = auditState(tables.db);
        return { ...(await tables.take()), audit_log: `${audit.count}:${audit.maxId}:${audit.hash}` };
      },
      close: () => tables.close(),
    },
    allowedChanges(_c, before, after, changed) {
      if (!changed.includes('audit_log')) return [];
      const [count, maxId, hash] = (before.audit_log ?? '0:0:').split(':');
      const appended = Number(after.audit_log?.split(':')[0]) - Number(count);
      return appended === 1 && auditState(tables.db, Number(maxId)).hash === hash ? ['audit_log'] : [];
    },
    takeLoggedErrors: () => f.takeLoggedErrors(),
  };
}

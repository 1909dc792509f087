import type { Db } from './db';

export interface AuditEntry {
  at: number;
  user: string;
  action: string;
  subject: string;
  detail?: string;
}

type AuditRow = Omit<AuditEntry, 'detail'> & { detail: string | null };

const withoutEmptyDetail = (rows: AuditRow[]): AuditEntry[] => rows.map(({ detail, ...rest }) => ({ ...rest, ...(detail ? { detail } : {}) }));

/** Access audit for face data (watchlist, original snapshots, face crops): who, what, when. */
export class AuditLog {
  private readonly insert;
  private readonly recent;
  private readonly watchlistRecent;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO audit_log (at, user_name, action, subject, detail) VALUES (?, ?, ?, ?, ?)');
    this.recent = db.prepare('SELECT at, user_name AS user, action, subject, detail FROM audit_log WHERE (@subject IS NULL OR subject = @subject) ORDER BY id DESC LIMIT @limit');
    this.watchlistRecent = db.prepare(
      `SELECT at, user_name AS user, action, subject, detail FROM audit_log
       WHERE subject LIKE '/api/watchlist%' OR subject = '/api/audit/watchlist' OR subject LIKE 'watchlist:%'
       OR action IN ('view_face_crop', 'view_watchlist_match', 'mqtt_face_data_on', 'mqtt_publish_face_data')
       ORDER BY id DESC LIMIT @limit`,
    );
  }

  record(e: AuditEntry): void {
    this.insert.run(e.at, e.user, e.action, e.subject, e.detail ?? null);
  }

  list(subject: string | null = null, limit = 100): AuditEntry[] {
    return withoutEmptyDetail(this.recent.all({ subject, limit }) as AuditRow[]);
  }

  /** Recent entries that concern the watchlist: its routes, its persons, face crops and matches. */
  watchlistTrail(limit = 100): AuditEntry[] {
    return withoutEmptyDetail(this.watchlistRecent.all({ limit }) as AuditRow[]);
  }
}

import type { Db } from './db';

export interface AuditEntry {
  at: number;
  user: string;
  action: string;
  subject: string;
  detail?: string;
}

/** Access audit for face data (watchlist, original snapshots, face crops): who, what, when. */
export class AuditLog {
  private readonly insert;
  private readonly recent;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO audit_log (at, user_name, action, subject, detail) VALUES (?, ?, ?, ?, ?)');
    this.recent = db.prepare('SELECT at, user_name AS user, action, subject, detail FROM audit_log WHERE (@subject IS NULL OR subject = @subject) ORDER BY id DESC LIMIT @limit');
  }

  record(e: AuditEntry): void {
    this.insert.run(e.at, e.user, e.action, e.subject, e.detail ?? null);
  }

  list(subject: string | null = null, limit = 100): AuditEntry[] {
    return (this.recent.all({ subject, limit }) as Array<AuditEntry & { detail: string | null }>).map(({ detail, ...rest }) => ({ ...rest, ...(detail ? { detail } : {}) }));
  }
}

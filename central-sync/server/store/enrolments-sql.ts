import type { SqlRunner } from './sql-runner';

/** An enrolment token as admins see it: never the token or its digest. */
export interface EnrolmentInfo {
  siteId: string;
  siteName: string;
  createdAt: number;
  expiresAt: number;
  state: 'unused' | 'used' | 'expired';
  /** When used: the gateway it enrolled and when. */
  usedAt: number | null;
  gatewayId: string | null;
  gatewayName: string | null;
}

/**
 * Newest first, at most `limit` (index enrolment_tokens_created, migration 007; sites and gateways
 * joined by primary key). State as of `now`: used, else expired once expires_at has passed, else unused.
 */
export async function listEnrolments(sql: SqlRunner, now: number, limit: number): Promise<EnrolmentInfo[]> {
  const rows = await sql.all(
    `SELECT e.site_id, s.name AS site_name, e.created_at, e.expires_at, e.used_at, e.gateway_id, g.name AS gateway_name
       FROM enrolment_tokens e
       JOIN sites s ON s.id = e.site_id
       LEFT JOIN gateways g ON g.id = e.gateway_id
      ORDER BY e.created_at DESC
      LIMIT ?`,
    [limit],
  );
  return rows.map((r) => {
    const usedAt = r.used_at === null || r.used_at === undefined ? null : Number(r.used_at);
    const expiresAt = Number(r.expires_at);
    return {
      siteId: String(r.site_id),
      siteName: String(r.site_name),
      createdAt: Number(r.created_at),
      expiresAt,
      state: usedAt !== null ? 'used' : expiresAt <= now ? 'expired' : 'unused',
      usedAt,
      gatewayId: r.gateway_id === null || r.gateway_id === undefined ? null : String(r.gateway_id),
      gatewayName: r.gateway_name === null || r.gateway_name === undefined ? null : String(r.gateway_name),
    };
  });
}

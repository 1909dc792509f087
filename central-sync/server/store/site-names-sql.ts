import type { SqlRunner } from './sql-runner';

/** Site names by the sites primary key (the ids of one answer). */
export async function siteNames(sql: SqlRunner, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await sql.all(`SELECT id, name FROM sites WHERE id IN (${chunk.map(() => '?').join(', ')})`, chunk);
    for (const r of rows) names.set(String(r.id), String(r.name));
  }
  return names;
}

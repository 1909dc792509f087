import { describe, expect, it } from 'vitest';
import { openStore } from '../server';
import { json } from '../server/store/queries';
import { BACKENDS, skipBackend, useDatabases } from './helpers/central';

const dbs = useDatabases();

describe.each(BACKENDS)('the store SQL runner on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  it('runs ? statements, counts changes, and rolls a failing batch back whole', async () => {
    const store = await openStore(await dbs.fresh(backend));
    try {
      const { sql } = store;
      expect(sql.dialect).toBe(backend);
      await sql.run('INSERT INTO sites (id, name, created_at) VALUES (?, ?, ?)', ['s1', 'One', 5_000_000_000_000]);
      expect(await sql.get('SELECT id, name, created_at FROM sites WHERE id = ?', ['s1'])).toEqual({ id: 's1', name: 'One', created_at: 5_000_000_000_000 });
      expect(await sql.get('SELECT id FROM sites WHERE id = ?', ['none'])).toBeUndefined();
      expect(await sql.run('UPDATE sites SET name = ? WHERE id = ?', ['Uno', 's1'])).toBe(1);
      expect(await sql.batch([{ text: 'INSERT INTO sites (id, name, created_at) VALUES (?, ?, ?)', params: ['s2', 'Two', 1] }, { text: "UPDATE sites SET name = 'x' WHERE id LIKE 's%'" }])).toEqual([1, 2]);
      await expect(
        sql.batch([
          { text: 'INSERT INTO sites (id, name, created_at) VALUES (?, ?, ?)', params: ['s3', 'Three', 1] },
          { text: 'INSERT INTO sites (id, name, created_at) VALUES (?, ?, ?)', params: ['s1', 'dup', 1] },
        ]),
      ).rejects.toThrow();
      expect((await sql.all('SELECT id FROM sites ORDER BY id')).map((r) => r.id)).toEqual(['s1', 's2']);
      expect(json('{"a":1}')).toEqual({ a: 1 });
      expect(json({ a: 1 })).toEqual({ a: 1 });
    } finally {
      await store.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { Watchlist, type WatchlistMatch } from '../../models';
import type { Db } from './db';

export interface WatchlistPerson {
  id: string;
  name: string;
  note: string | null;
  createdBy: string;
  createdAt: number;
  photos: number;
}

/**
 * Watchlist persons and their embeddings in SQLite, mirrored into the in-memory index the face path
 * searches. Only watchlist embeddings are kept; nothing else about faces outlives its event.
 */
export class WatchlistStore {
  readonly index = new Watchlist();

  constructor(private readonly db: Db) {
    const rows = db.prepare('SELECT person_id AS id, embedding FROM watchlist_embeddings ORDER BY id').all() as Array<{ id: string; embedding: Buffer }>;
    const byPerson = new Map<string, Float32Array[]>();
    for (const r of rows) {
      const list = byPerson.get(r.id) ?? [];
      list.push(new Float32Array(r.embedding.buffer.slice(r.embedding.byteOffset, r.embedding.byteOffset + r.embedding.byteLength)));
      byPerson.set(r.id, list);
    }
    for (const [id, embeddings] of byPerson) this.index.enrol(id, embeddings);
  }

  enrol(name: string, note: string | undefined, embeddings: Float32Array[], createdBy: string, at: number): WatchlistPerson {
    const id = randomUUID();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO watchlist_persons (id, name, note, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(id, name, note ?? null, createdBy, at);
      const insert = this.db.prepare('INSERT INTO watchlist_embeddings (person_id, embedding, created_at) VALUES (?, ?, ?)');
      for (const e of embeddings) insert.run(id, Buffer.from(e.buffer, e.byteOffset, e.byteLength), at);
    })();
    this.index.enrol(id, embeddings);
    return this.get(id)!;
  }

  remove(id: string): boolean {
    const removed = this.db.prepare('DELETE FROM watchlist_persons WHERE id = ?').run(id).changes > 0;
    if (removed) this.index.remove(id);
    return removed;
  }

  get(id: string): WatchlistPerson | undefined {
    return this.db
      .prepare(
        `SELECT p.id, p.name, p.note, p.created_by AS createdBy, p.created_at AS createdAt, count(e.id) AS photos
         FROM watchlist_persons p LEFT JOIN watchlist_embeddings e ON e.person_id = p.id WHERE p.id = ? GROUP BY p.id`,
      )
      .get(id) as WatchlistPerson | undefined;
  }

  list(): WatchlistPerson[] {
    return this.db
      .prepare(
        `SELECT p.id, p.name, p.note, p.created_by AS createdBy, p.created_at AS createdAt, count(e.id) AS photos
         FROM watchlist_persons p LEFT JOIN watchlist_embeddings e ON e.person_id = p.id GROUP BY p.id ORDER BY p.created_at DESC`,
      )
      .all() as WatchlistPerson[];
  }

  search(embedding: Float32Array, k: number, minSimilarity: number): Promise<WatchlistMatch[]> {
    return this.index.search(embedding, k, minSimilarity);
  }
}

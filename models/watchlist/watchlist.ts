import { ModelError } from '../errors';
import { l2Normalise } from '../face/similarity';
import { ort } from '../runtime/session';
import { buildSearchModel } from './search-graph';

export interface WatchlistMatch {
  id: string;
  /** Cosine similarity, -1..1. */
  similarity: number;
}

/** A watchlist as plain data, for saving and loading (e.g. into SQLite). */
export interface WatchlistSnapshot {
  dimension: number;
  ids: string[];
  /** ids.length x dimension, row i belongs to ids[i]. */
  vectors: Float32Array;
}

export interface WatchlistOptions {
  dimension?: number;
  /** Rows allocated up front; the store doubles when full. */
  initialCapacity?: number;
  intraOpThreads?: number;
}

/**
 * Face watchlist: one L2-normalised embedding per enrolled person in a single contiguous
 * Float32Array; search is one ORT Gemm + TopK over all rows (memory-bound, no per-entry objects).
 * Removal moves the last row into the hole, so rows stay dense.
 */
export class Watchlist {
  readonly dimension: number;
  private vectors: Float32Array;
  private ids: string[] = [];
  private readonly rowOf = new Map<string, number>();
  private session: Promise<ort.InferenceSession> | undefined;

  constructor(private readonly options: WatchlistOptions = {}) {
    this.dimension = options.dimension ?? 512;
    this.vectors = new Float32Array(Math.max(1, options.initialCapacity ?? 1024) * this.dimension);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /**
   * Enrols (or re-enrols) `id` from one or more embeddings, e.g. one per photo: the stored vector
   * is the normalised mean of the normalised embeddings.
   */
  enrol(id: string, embeddings: readonly Float32Array[]): void {
    if (!id) throw new ModelError('watchlist id must be a non-empty string', 'id');
    if (embeddings.length === 0) throw new ModelError(`enrolling '${id}' needs at least one embedding`, 'embeddings');
    const mean = new Float32Array(this.dimension);
    embeddings.forEach((e, i) => {
      this.checkVector(e, `embeddings[${i}]`);
      const unit = l2Normalise(Float32Array.from(e));
      for (let d = 0; d < this.dimension; d++) mean[d]! += unit[d]!;
    });
    l2Normalise(mean);
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.ids.length;
      this.ensureCapacity(row + 1);
      this.ids.push(id);
      this.rowOf.set(id, row);
    }
    this.vectors.set(mean, row * this.dimension);
  }

  remove(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    const last = this.ids.length - 1;
    if (row !== last) {
      const lastId = this.ids[last]!;
      this.vectors.copyWithin(row * this.dimension, last * this.dimension, (last + 1) * this.dimension);
      this.ids[row] = lastId;
      this.rowOf.set(lastId, row);
    }
    this.ids.pop();
    this.rowOf.delete(id);
    return true;
  }

  /** The stored (normalised mean) vector of `id`, copied. */
  vectorOf(id: string): Float32Array | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.vectors.slice(row * this.dimension, (row + 1) * this.dimension);
  }

  /** The `k` best matches of `query`, best first, keeping those at or above `minSimilarity`. */
  async search(query: Float32Array, k = 5, minSimilarity = -1): Promise<WatchlistMatch[]> {
    const [matches] = await this.searchMany([query], k, minSimilarity);
    return matches ?? [];
  }

  /** Several queries in one model run; result[i] belongs to queries[i]. */
  async searchMany(queries: readonly Float32Array[], k = 5, minSimilarity = -1): Promise<WatchlistMatch[][]> {
    if (!Number.isInteger(k) || k < 1) throw new ModelError(`k must be a positive integer, got ${k}`, 'k');
    const q = new Float32Array(queries.length * this.dimension);
    queries.forEach((v, i) => {
      this.checkVector(v, `queries[${i}]`);
      q.set(l2Normalise(Float32Array.from(v)), i * this.dimension);
    });
    const n = this.ids.length;
    if (n === 0 || queries.length === 0) return queries.map(() => []);
    const top = Math.min(k, n);
    const session = await (this.session ??= ort.InferenceSession.create(buildSearchModel(this.dimension), {
      intraOpNumThreads: this.options.intraOpThreads ?? 0,
    }));
    const out = await session.run({
      queries: new ort.Tensor('float32', q, [queries.length, this.dimension]),
      entries: new ort.Tensor('float32', this.vectors.subarray(0, n * this.dimension), [n, this.dimension]),
      k: new ort.Tensor('int64', BigInt64Array.of(BigInt(top)), [1]),
    });
    const sims = out.similarities!.data as Float32Array;
    const rows = out.rows!.data as BigInt64Array;
    return queries.map((_, qi) => {
      const matches: WatchlistMatch[] = [];
      for (let j = 0; j < top; j++) {
        const similarity = sims[qi * top + j]!;
        if (similarity < minSimilarity) break;
        matches.push({ id: this.ids[Number(rows[qi * top + j]!)]!, similarity });
      }
      return matches;
    });
  }

  snapshot(): WatchlistSnapshot {
    return { dimension: this.dimension, ids: [...this.ids], vectors: this.vectors.slice(0, this.ids.length * this.dimension) };
  }

  static fromSnapshot(snapshot: WatchlistSnapshot, options: Omit<WatchlistOptions, 'dimension'> = {}): Watchlist {
    const { dimension, ids, vectors } = snapshot;
    if (vectors.length !== ids.length * dimension) {
      throw new ModelError(`watchlist snapshot has ${vectors.length} values for ${ids.length} ids of dimension ${dimension}`, 'vectors');
    }
    if (new Set(ids).size !== ids.length) throw new ModelError('watchlist snapshot has duplicate ids', 'ids');
    const list = new Watchlist({ ...options, dimension, initialCapacity: Math.max(ids.length, options.initialCapacity ?? 1024) });
    list.vectors.set(vectors);
    list.ids = [...ids];
    ids.forEach((id, row) => list.rowOf.set(id, row));
    return list;
  }

  async dispose(): Promise<void> {
    const session = await this.session;
    this.session = undefined;
    await session?.release();
  }

  private checkVector(v: Float32Array, field: string): void {
    if (!(v instanceof Float32Array) || v.length !== this.dimension) {
      throw new ModelError(`${field} must be a Float32Array(${this.dimension}), got ${v instanceof Float32Array ? `length ${v.length}` : typeof v}`, field);
    }
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) throw new ModelError(`${field}[${i}] is not a finite number`, field);
    }
  }

  private ensureCapacity(rows: number): void {
    if (rows * this.dimension <= this.vectors.length) return;
    let capacity = this.vectors.length / this.dimension;
    while (capacity < rows) capacity *= 2;
    const grown = new Float32Array(capacity * this.dimension);
    grown.set(this.vectors.subarray(0, this.ids.length * this.dimension));
    this.vectors = grown;
  }
}

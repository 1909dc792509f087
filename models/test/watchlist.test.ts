import { afterEach, describe, expect, it } from 'vitest';
import { seededValues } from '../../test-helpers/tfjs-fixtures';
import { Watchlist } from '../watchlist';

const DIM = 512;
const vector = (seed: number): Float32Array => Float32Array.from(seededValues(DIM, seed));
/** `base` plus a little seeded noise: the same person in another photo. */
const near = (base: Float32Array, seed: number, amount = 0.1): Float32Array => {
  const noise = seededValues(DIM, seed);
  return base.map((v, i) => v + amount * noise[i]!);
};

const lists: Watchlist[] = [];
const make = (...args: ConstructorParameters<typeof Watchlist>): Watchlist => {
  const list = new Watchlist(...args);
  lists.push(list);
  return list;
};
afterEach(async () => {
  await Promise.all(lists.splice(0).map((l) => l.dispose()));
});

describe('watchlist', () => {
  it('finds the enrolled person best, with similarity close to 1, among many', async () => {
    const list = make({ initialCapacity: 4 });
    for (let i = 0; i < 2000; i++) list.enrol(`person-${i}`, [vector(1000 + i)]);
    expect(list.size).toBe(2000);
    const matches = await list.search(near(vector(1000 + 1234), 7), 3);
    expect(matches).toHaveLength(3);
    expect(matches[0]!.id).toBe('person-1234');
    expect(matches[0]!.similarity).toBeGreaterThan(0.9);
    expect(matches[1]!.similarity).toBeLessThan(0.3);
    expect(matches[0]!.similarity).toBeGreaterThanOrEqual(matches[1]!.similarity);
  });

  it('enrols from several photos as the normalised mean, and re-enrolling replaces', async () => {
    const list = make();
    const base = vector(1);
    const photos = [near(base, 2, 0.3), near(base, 3, 0.3), near(base, 4, 0.3)];
    list.enrol('anna', photos);
    const stored = list.vectorOf('anna')!;
    expect(Math.hypot(...stored)).toBeCloseTo(1, 5);
    const [best] = await list.search(base, 1);
    expect(best!.similarity).toBeGreaterThan(0.95);
    list.enrol('anna', [vector(99)]);
    expect(list.size).toBe(1);
    expect((await list.search(vector(99), 1))[0]!.similarity).toBeCloseTo(1, 5);
  });

  it('removes entries and keeps the others findable', async () => {
    const list = make();
    ['a', 'b', 'c', 'd'].forEach((id, i) => list.enrol(id, [vector(i + 10)]));
    expect(list.remove('b')).toBe(true);
    expect(list.remove('b')).toBe(false);
    expect(list.size).toBe(3);
    for (const [id, seed] of [['a', 10], ['c', 12], ['d', 13]] as const) {
      expect((await list.search(vector(seed), 1))[0]!.id).toBe(id);
    }
    const all = await list.search(vector(11), 10);
    expect(all.map((m) => m.id).sort()).toEqual(['a', 'c', 'd']);
  });

  it('applies the minimum similarity and answers an empty list with no matches', async () => {
    const list = make();
    expect(await list.search(vector(1))).toEqual([]);
    list.enrol('x', [vector(1)]);
    list.enrol('y', [vector(2)]);
    const matches = await list.search(vector(1), 5, 0.5);
    expect(matches.map((m) => m.id)).toEqual(['x']);
  });

  it('round-trips through a snapshot', async () => {
    const list = make();
    for (let i = 0; i < 50; i++) list.enrol(`p${i}`, [vector(i + 500)]);
    list.remove('p7');
    const copy = Watchlist.fromSnapshot(list.snapshot());
    lists.push(copy);
    expect(copy.size).toBe(49);
    expect((await copy.search(vector(520), 1))[0]!.id).toBe('p20');
    expect(copy.has('p7')).toBe(false);
  });

  it('searches several queries in one call', async () => {
    const list = make();
    for (let i = 0; i < 100; i++) list.enrol(`p${i}`, [vector(i + 1)]);
    const results = await list.searchMany([vector(5), vector(50), vector(77)], 1);
    expect(results.map((r) => r[0]!.id)).toEqual(['p4', 'p49', 'p76']);
  });

  it('rejects bad vectors and ids with errors that name the field', async () => {
    const list = make();
    expect(() => list.enrol('', [vector(1)])).toThrow(/id must be a non-empty string/);
    expect(() => list.enrol('a', [])).toThrow(/needs at least one embedding/);
    expect(() => list.enrol('a', [new Float32Array(128)])).toThrow(/embeddings\[0\] must be a Float32Array\(512\), got length 128/);
    const bad = vector(1);
    bad[3] = Number.NaN;
    expect(() => list.enrol('a', [bad])).toThrow(/embeddings\[0\]\[3\] is not a finite number/);
    await expect(list.search(vector(1), 0)).rejects.toThrow(/k must be a positive integer/);
    expect(() => Watchlist.fromSnapshot({ dimension: 4, ids: ['a'], vectors: new Float32Array(3) })).toThrow(/3 values for 1 ids/);
    expect(list.size).toBe(0);
  });
});

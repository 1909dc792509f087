import { Entries, isPlainObject, type FuzzJson } from './json-text';
import type { Rng } from './prng';
import { hostileKey, hostileNumber, hostileString, hostileValue, nested, wrongType, type Hostile } from './values';

type Path = ReadonlyArray<string | number>;

/** Every path in a plain JSON value, containers included ([] is the whole value). */
function paths(v: FuzzJson, at: Path = []): Path[] {
  const inner = Array.isArray(v) ? v.flatMap((x, i) => paths(x, [...at, i])) : isPlainObject(v) ? Object.keys(v).flatMap((k) => paths(v[k]!, [...at, k])) : [];
  return [at, ...inner];
}

function get(v: FuzzJson, path: Path): FuzzJson {
  return path.reduce<FuzzJson>((x, key) => (Array.isArray(x) ? x[key as number]! : isPlainObject(x) ? x[key as string]! : x), v);
}

/** A copy of `v` with the value at `path` replaced (or removed when `replace` returns undefined). */
function update(v: FuzzJson, path: Path, replace: (old: FuzzJson) => FuzzJson | undefined): FuzzJson | undefined {
  if (path.length === 0) return replace(v);
  const [key, ...rest] = path;
  if (Array.isArray(v)) {
    const copy = [...v];
    const next = update(copy[key as number]!, rest, replace);
    if (next === undefined) copy.splice(key as number, 1);
    else copy[key as number] = next;
    return copy;
  }
  if (isPlainObject(v)) {
    const copy = { ...v };
    const next = update(copy[key as string]!, rest, replace);
    if (next === undefined) delete copy[key as string];
    else copy[key as string] = next;
    return copy;
  }
  return v;
}

export const pathText = (path: Path): string => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(body)';

/** An object with one more entry, written as entries so duplicate and `__proto__` keys survive. */
function withEntry(obj: { [key: string]: FuzzJson }, key: string, value: FuzzJson, first: boolean): Entries {
  const entries = Object.entries(obj);
  return new Entries(first ? [[key, value], ...entries] : [...entries, [key, value]]);
}

/**
 * One hostile change to a valid body: a field replaced by a hostile value, removed, duplicated,
 * given a sibling with a hostile key, or the whole body of the wrong type. Mostly leaves are hit,
 * so the validator sees an otherwise valid body and has to judge the one bad field.
 */
export function mutate(rng: Rng, template: FuzzJson): Hostile {
  const all = paths(template);
  const leaves = all.filter((p) => { const x = get(template, p); return !Array.isArray(x) && !isPlainObject(x); });
  const objects = all.filter((p) => isPlainObject(get(template, p)));
  const path = rng.chance(0.75) && leaves.length > 0 ? rng.pick(leaves) : rng.pick(all);
  const at = pathText(path);
  const replaceWith = (h: Hostile): Hostile => ({ value: update(template, path, () => h.value) ?? null, label: `${at} = ${h.label}` });
  return rng.weighted<() => Hostile>([
    [5, () => replaceWith(hostileString(rng))],
    [3, () => replaceWith(hostileNumber(rng))],
    [3, () => replaceWith(wrongType(rng))],
    [1, () => replaceWith({ value: nested(200_000), label: 'nested 200,000 deep' })],
    [1, () => (path.length === 0 ? replaceWith(wrongType(rng)) : { value: update(template, path, () => undefined) ?? null, label: `${at} removed` })],
    [
      2,
      () => {
        const objPath = objects.length > 0 ? rng.pick(objects) : [];
        const obj = get(template, objPath);
        if (!isPlainObject(obj)) return replaceWith(wrongType(rng));
        const key = hostileKey(rng);
        const value = hostileValue(rng);
        return { value: update(template, objPath, () => withEntry(obj, key, value.value, rng.chance(0.5))) ?? null, label: `${pathText(objPath)} gains key ${JSON.stringify(key.slice(0, 20))} = ${value.label}` };
      },
    ],
    [
      1,
      () => {
        const objPath = objects.length > 0 ? rng.pick(objects) : [];
        const obj = get(template, objPath);
        const keys = isPlainObject(obj) ? Object.keys(obj) : [];
        if (!isPlainObject(obj) || keys.length === 0) return replaceWith(wrongType(rng));
        const key = rng.pick(keys);
        const value = hostileValue(rng);
        return { value: update(template, objPath, () => withEntry(obj, key, value.value, rng.chance(0.5))) ?? null, label: `${pathText(objPath)} repeats key ${key} = ${value.label}` };
      },
    ],
  ])();
}

/** Several independent mutations on top of each other (the label lists them all). */
export function mutateMany(rng: Rng, template: FuzzJson, count: number): Hostile {
  let current: Hostile = { value: template, label: '' };
  for (let i = 0; i < count; i++) {
    const next = mutate(rng, current.value);
    current = { value: next.value, label: current.label ? `${current.label}; ${next.label}` : next.label };
  }
  return current;
}

/** A route's valid body as it is (validShare of the time), with one hostile change, or with two. */
export function mutatedBody(rng: Rng, valid: () => FuzzJson, validShare: number): Hostile {
  const roll = rng.next();
  return roll < validShare ? { value: valid(), label: 'valid body' } : roll < 0.85 ? mutate(rng, valid()) : mutateMany(rng, valid(), 2);
}

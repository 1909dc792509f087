import { Entries, RawJson, type FuzzJson } from './json-text';
import type { Rng } from './prng';

/** A hostile value and what it is, for the report of a finding. */
export interface Hostile<T = FuzzJson> {
  value: T;
  label: string;
}

const MB = 2 ** 20;

/** Strings that break parsers, databases, terminals and naive length checks. Big ones are built on use. */
const STRINGS: ReadonlyArray<readonly [string, () => string]> = [
  ['NUL', () => '\u0000'],
  ['NUL inside', () => 'cam\u0000era'],
  ['lone high surrogate', () => '\uD800'],
  ['lone low surrogate', () => 'x\uDC00'],
  ['surrogate at end', () => 'name\uDBFF'],
  ['RTL override', () => '\u202Egnp.exe\u202C'],
  ['BOM and zero-width', () => '\uFEFF\u200B\u200D'],
  ['noncharacters', () => '\uFFFE\uFFFF'],
  ['max code point', () => '\u{10FFFF}'],
  ['emoji', () => '😀👍🏽👨‍👩‍👧'],
  ['combining marks', () => 'Z̴̡̛a̷͉̓l̵̰̈g̶̣̈́o̸͍͂'],
  ['full-width digits', () => '１２３'],
  ['dotted capital I', () => 'İstanbul ß'],
  ['Vietnamese', () => 'Cửa hàng Đông Phương'],
  ['control characters', () => '\u0001\u0007\u001b[31m\u007f'],
  ['CR LF', () => 'a\r\nSet-Cookie: x=1'],
  ['empty', () => ''],
  ['blank', () => ' \t\n '],
  ['SQL', () => "'; DROP TABLE events; --"],
  ['path traversal', () => '../../../../etc/passwd'],
  ['percent NUL', () => '%00'],
  ['HTML', () => '<script>alert(1)</script>'],
  ['template', () => '${jndi:ldap://x}{{7*7}}'],
  ['number-like', () => '1e400'],
  ['negative-like', () => '-1'],
  ['proto key', () => '__proto__'],
  ['constructor', () => 'constructor'],
  ['129 chars', () => 'x'.repeat(129)],
  ['65 chars', () => 'y'.repeat(65)],
  ['4097 chars', () => 'z'.repeat(4097)],
  ['long unicode', () => 'é😀'.repeat(20_000)],
  ['1 MB', () => 'm'.repeat(MB)],
];

/** Numbers at and past every boundary; RawJson carries tokens JSON.stringify cannot write. */
const NUMBERS: ReadonlyArray<readonly [string, FuzzJson]> = [
  ['0', 0],
  ['-1', -1],
  ['-0', new RawJson('-0')],
  ['1.5', 1.5],
  ['int32 max', 2 ** 31 - 1],
  ['int32 max + 1', 2 ** 31],
  ['uint32 + 1', 2 ** 32],
  ['2^53', 2 ** 53],
  ['2^53 + 2', 2 ** 53 + 2],
  ['-(2^53)', -(2 ** 53)],
  ['2^63', new RawJson('9223372036854775808')],
  ['30 digits', new RawJson('123456789012345678901234567890')],
  ['1e308', 1e308],
  ['1e400 (Infinity)', new RawJson('1e400')],
  ['-1e400', new RawJson('-1e400')],
  ['1e-400', new RawJson('1e-400')],
  ['min subnormal', 5e-324],
  ['NaN token', new RawJson('NaN')],
  ['Infinity token', new RawJson('Infinity')],
  ['hex token', new RawJson('0x10')],
];

/** Values of the wrong type for any field. */
const WRONG_TYPES: ReadonlyArray<readonly [string, () => FuzzJson]> = [
  ['null', () => null],
  ['true', () => true],
  ['empty object', () => ({})],
  ['empty array', () => []],
  ['array of array', () => [[]]],
  ['string "1"', () => '1'],
  ['object with __proto__', () => new Entries([['__proto__', { polluted: true }]])],
  ['object with constructor.prototype', () => new Entries([['constructor', { prototype: { polluted: true } }]])],
  ['array of 10,000', () => Array.from({ length: 10_000 }, (_, i) => i)],
  ['nested 50 deep', () => nested(50)],
  ['nested 5,000 deep', () => nested(5_000)],
  ['nested 500,000 deep', () => nested(500_000)],
];

/** `[[[...]]]` built as text, so neither this process nor the serializer recurses. */
export function nested(depth: number): RawJson {
  return new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`);
}

export function hostileString(rng: Rng): Hostile<string> {
  const [label, make] = rng.pick(STRINGS);
  return { value: make(), label: `string ${label}` };
}

export function hostileNumber(rng: Rng): Hostile {
  const [label, value] = rng.pick(NUMBERS);
  return { value, label: `number ${label}` };
}

export function wrongType(rng: Rng): Hostile {
  const [label, make] = rng.pick(WRONG_TYPES);
  return { value: make(), label };
}

/** Any hostile value: a string, a number or a value of the wrong type. */
export function hostileValue(rng: Rng): Hostile {
  return rng.weighted<() => Hostile>([
    [4, () => hostileString(rng)],
    [3, () => hostileNumber(rng)],
    [3, () => wrongType(rng)],
  ])();
}

/** Keys an object should not accept (unknown, prototype pollution, odd characters). */
export function hostileKey(rng: Rng): string {
  return rng.pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', '\u0000', '\uD800', 'extra', 'a'.repeat(5_000), '$where', 'records[0]']);
}

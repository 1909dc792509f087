import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'vi';

export type Messages = Readonly<Record<string, string>>;
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

const DIR = join(import.meta.dirname, 'messages');

/**
 * Message files: messages/<lang>/<namespace>.json, flat keys, merged as `<namespace>.<key>`.
 * Loaded once; a key missing in one language is a test failure, not a blank on screen.
 */
function load(lang: Lang): Messages {
  const out: Record<string, string> = {};
  for (const file of readdirSync(join(DIR, lang)).filter((f) => f.endsWith('.json')).sort()) {
    const ns = file.slice(0, -5);
    const entries = JSON.parse(readFileSync(join(DIR, lang, file), 'utf8')) as Record<string, string>;
    for (const [k, v] of Object.entries(entries)) out[`${ns}.${k}`] = v;
  }
  return out;
}

let cache: Record<Lang, Messages> | undefined;
export function messages(lang: Lang): Messages {
  cache ??= { vi: load('vi'), en: load('en') };
  return cache[lang];
}

export const isLang = (v: string | undefined): v is Lang => (LANGS as readonly string[]).includes(v ?? '');

export function translator(lang: Lang): Translate {
  const m = messages(lang);
  return (key, vars) => {
    const text = m[key] ?? messages('en')[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (vars[name] !== undefined ? String(vars[name]) : whole)) : text;
  };
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];
/** The console is Vietnamese unless the user switches. */
export const DEFAULT_LANG: Lang = 'vi';

export type Messages = Readonly<Record<string, string>>;
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export const MESSAGES_DIR = join(import.meta.dirname, 'messages');

/**
 * messages/<lang>/<namespace>.json, flat keys, merged as `<namespace>.<key>`. Loaded once per
 * process; a key missing in one language fails console-layout.test.ts rather than showing blank.
 */
export function loadMessages(lang: Lang, dir = MESSAGES_DIR): Messages {
  const out: Record<string, string> = {};
  for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json')).sort()) {
    const ns = file.slice(0, -5);
    const entries = JSON.parse(readFileSync(join(dir, lang, file), 'utf8')) as Record<string, unknown>;
    for (const [k, v] of Object.entries(entries)) if (typeof v === 'string') out[`${ns}.${k}`] = v;
  }
  return out;
}

let cache: Record<Lang, Messages> | undefined;
export function messages(lang: Lang): Messages {
  cache ??= { vi: loadMessages('vi'), en: loadMessages('en') };
  return cache[lang];
}

export const isLang = (v: string | undefined): v is Lang => (LANGS as readonly string[]).includes(v ?? '');

/** `{name}` placeholders are filled from vars; an unknown key shows the English text, else the key. */
export function translator(lang: Lang): Translate {
  const m = messages(lang);
  return (key, vars) => {
    const text = m[key] ?? messages('en')[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (vars[name] !== undefined ? String(vars[name]) : whole)) : text;
  };
}

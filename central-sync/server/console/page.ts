import type { HtmlEscapedString } from 'hono/utils/html';
import type { Role } from '../store';
import type { Lang, Translate } from './i18n';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Who is looking at a page: their name and current role (resolved on every request). */
export interface ConsoleUser {
  name: string;
  role: Role;
}

export interface ConsolePageContext {
  user: ConsoleUser;
  lang: Lang;
  t: Translate;
  /** Path parameters of the page's route (e.g. `id` of /events/:id). */
  params: Record<string, string>;
  query: Record<string, string>;
}

/** One console page: a server-rendered shell plus small ES modules from public/ that fill it from /v1. */
export interface ConsolePage {
  /** Hono path, e.g. /events/:id; no /v1 prefix. */
  path: string;
  /** Roles that may open it besides admin (the API checks the same roles on every call the page makes). */
  roles: readonly Role[];
  /** Message key of the title. */
  title: string;
  /** Shown in the header, for the roles that may open it; `label` is a message key. */
  nav?: { label: string; order: number };
  /** Files in public/ loaded as ES modules (after app.js). */
  scripts: readonly string[];
  /** Stylesheets in public/, after app.css. */
  styles?: readonly string[];
  /** Browser builds from npm (see assets.ts). */
  vendor?: ReadonlyArray<'uplot'>;
  body(ctx: ConsolePageContext): Html;
}

/** admin may open everything; the others what the page lists. */
export const mayOpen = (page: Pick<ConsolePage, 'roles'>, role: Role): boolean => role === 'admin' || page.roles.includes(role);

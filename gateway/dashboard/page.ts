import type { HtmlEscapedString } from 'hono/utils/html';
import type { Role } from '../config';
import type { Lang, Translate } from './i18n';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageContext {
  user: { name: string; role: Role };
  lang: Lang;
  t: Translate;
  params: Record<string, string>;
  query: Record<string, string>;
}

/** One dashboard page: server-rendered shell plus a small ES module from public/ that fills it. */
export interface DashboardPage {
  /** Hono path, e.g. /events/:id */
  path: string;
  /** Roles that may open it besides admin (the API checks the same roles on every call it makes). */
  roles: readonly Role[];
  /** Message key of the title. */
  title: string;
  /** Shown in the header for the roles that may open it. */
  nav?: { label: string; order: number };
  /** Files in public/ loaded as ES modules. */
  scripts: readonly string[];
  /** Page stylesheets in public/, after app.css. */
  styles?: readonly string[];
  /** Third-party browser files from npm (see assets.ts). */
  vendor?: ReadonlyArray<'uplot' | 'jsmpeg'>;
  body(ctx: PageContext): Html;
}

export const mayOpen = (page: Pick<DashboardPage, 'roles'>, role: Role): boolean => role === 'admin' || page.roles.includes(role);

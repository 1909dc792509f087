import type { ConsolePage } from '../page';
import { adminPage } from './admin';

/** Every console page, in no particular order (nav order is each page's nav.order). */
export const PAGES: readonly ConsolePage[] = [adminPage];

import type { ConsolePage } from '../page';
import { adminPage } from './admin';
import { fleetPage } from './fleet';
import { throughputPage } from './throughput';

/** Every console page, in no particular order (nav order is each page's nav.order). */
export const PAGES: readonly ConsolePage[] = [fleetPage, throughputPage, adminPage];

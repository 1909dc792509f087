import type { ConsolePage } from '../page';
import { adminPage } from './admin';
import { eventDetailPage, eventsPage } from './events';
import { fleetPage } from './fleet';
import { queuesPage } from './queues';
import { throughputPage } from './throughput';

/** Every console page, in no particular order (nav order is each page's nav.order). */
export const PAGES: readonly ConsolePage[] = [eventsPage, eventDetailPage, queuesPage, fleetPage, throughputPage, adminPage];

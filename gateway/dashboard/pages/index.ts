import type { DashboardPage } from '../page';
import { eventPage, eventsPage } from './events';
import { watchlistPage } from './watchlist';
import { queuesPage } from './queues';
import { adminPage, zonesPage } from './admin';
import { liveCameraPage, livePickerPage } from './live';
import { opsPage } from './ops';
import { camerasPage } from './cameras';

/** Every dashboard page; the header shows the ones with `nav` that the user's role may open. */
export const PAGES: readonly DashboardPage[] = [eventsPage, eventPage, watchlistPage, queuesPage, adminPage, zonesPage, livePickerPage, liveCameraPage, opsPage, camerasPage];

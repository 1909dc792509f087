export { Watchlist, type WatchlistMatch, type WatchlistOptions, type WatchlistSnapshot } from './watchlist';

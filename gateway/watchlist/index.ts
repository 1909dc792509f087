export { WatchlistStore, type WatchlistPerson } from './store';
export { embedEnrolmentPhoto, MAX_PHOTO_BYTES } from './enrol';

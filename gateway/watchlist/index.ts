export { WatchlistStore, type WatchlistPerson } from './store';
export { embedEnrolmentPhoto, enrolmentFace, MAX_PHOTO_BYTES } from './enrol';

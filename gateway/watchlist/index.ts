export { WatchlistStore, type WatchlistPerson } from '../store/watchlist';
export { embedEnrolmentPhoto, enrolmentFace, MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS } from './enrol';
export { PhotoSlots, PHOTO_CHECKS, type PhotoSlotLimits } from './photo-slots';
export { PhotoRefused, type PhotoRefusalKind } from './photo-refused';
export { EnrolmentFaceEngine } from './enrolment-engine';

-- Retention (CENTRAL_RETENTION_DAYS, CENTRAL_FACE_CROP_DAYS): old rows are deleted and face crops
-- stripped in bounded batches. {{event_face_crop}} / {{record_face_crop}} are the dialect's "data
-- carries a faceCrop" test; the retention queries use the same text, so they read these partial
-- indexes, which hold only the few events (watchlist matches) that carry a crop.

-- Records with seq <= purged_through_seq were deleted by retention (or were written before one that
-- was): ingest counts them as duplicates, so a resent old batch is not stored again.
ALTER TABLE gateway_sync ADD COLUMN purged_through_seq {{bigint}} NOT NULL DEFAULT 0;

CREATE INDEX records_at ON records (at);
CREATE INDEX events_face_crop ON events (started_at) WHERE {{event_face_crop}};
CREATE INDEX records_face_crop ON records (at) WHERE {{record_face_crop}};

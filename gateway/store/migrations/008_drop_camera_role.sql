-- A camera's `role` (counter, queue, entrance, street) was stored here and read by nothing; the
-- configuration no longer carries it (old site files may still hold it: ignored with a warning).
ALTER TABLE cameras DROP COLUMN role;

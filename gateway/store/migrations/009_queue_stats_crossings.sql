-- Entrance counting (line zones): people who crossed a zone's line inwards / outwards in the
-- minute. NULL for every other zone and for rows written before this migration (a queue or count
-- zone has no line; an old row was never counted), never 0, so "nobody crossed" and "not a line"
-- stay apart. Retention deletes these rows with the rest of queue_stats.
ALTER TABLE queue_stats ADD COLUMN crossings_in INTEGER;
ALTER TABLE queue_stats ADD COLUMN crossings_out INTEGER;

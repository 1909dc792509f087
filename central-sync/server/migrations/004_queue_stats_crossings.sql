-- Entrance counting (wire version 2): people who crossed a line zone inwards / outwards in the
-- minute. NULL for other zones and for every row stored before this migration or sent by a
-- version 1 gateway, never 0, so "nobody crossed" and "not a line" stay apart. Retention deletes
-- them with the rest of queue_stats.
ALTER TABLE queue_stats ADD COLUMN crossings_in INTEGER;
ALTER TABLE queue_stats ADD COLUMN crossings_out INTEGER;

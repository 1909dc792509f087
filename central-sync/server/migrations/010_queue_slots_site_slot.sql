-- One site's quarter hours of a day (GET /v1/queues/today?site=, GET /v1/footfall?site=): the primary
-- key (site_id, camera_id, zone_id, slot) cannot bound slot without the zones, so SQLite read every
-- retained slot of the site (12 zones x 96 x 90 days = 104,000 rows for today's 1,150). This index
-- reads the day's range of the site only.
CREATE INDEX queue_slots_site_slot ON queue_slots (site_id, slot);

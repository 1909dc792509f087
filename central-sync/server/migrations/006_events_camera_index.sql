-- The console's event list filtered by camera alone (GET /v1/events?camera=...): without it PostgreSQL
-- read all of events (a sequential scan of 1,000,000 rows, p95 188 ms in the province-scale benchmark);
-- with it an index range of the rows shown (84 rows read, p95 5-7 ms; built in about 2 s over 1 M events).
CREATE INDEX events_camera_started ON events (camera_id, started_at, id);

-- Cameras added from the dashboard ("Add camera"): each row is one camera's configuration (the config
-- file's camera schema, as JSON; its stream URL keeps the credentials needed to reconnect), started at
-- boot after the configured ones. A configured camera with the same id wins.
CREATE TABLE runtime_cameras (
  id TEXT PRIMARY KEY,
  config TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  -- The ONVIF device it was found on (its device service address), when it came from discovery.
  device TEXT
);

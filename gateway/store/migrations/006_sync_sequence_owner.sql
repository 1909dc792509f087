-- Whose sequence the outbox numbers continue. A gateway whose database is lost but whose credentials
-- are kept must not restart at seq 1: the central server would take its new records for resends of
-- ones it already has. NULL: a database that has never numbered an outbox record (it asks the server
-- where to continue before sending); '*': one that has (its numbers continue the server's already).
ALTER TABLE sync_state ADD COLUMN sequence_owner TEXT;
UPDATE sync_state SET sequence_owner = '*' WHERE EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'sync_outbox');

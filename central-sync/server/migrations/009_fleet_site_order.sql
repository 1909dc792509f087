-- The fleet page lists gateways by site then gateway, a page at a time (keyset cursor on
-- (site_id, id)): this index hands them over in that order, so a page reads the index range from
-- the cursor on and stops after the page (with a site filter, that site's range). It replaces
-- gateways_site (site_id), whose lookups it also serves.
CREATE INDEX gateways_site_id ON gateways (site_id, id);
DROP INDEX gateways_site;

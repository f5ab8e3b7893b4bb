-- Facts about this database itself (not the shop's data), such as whether the demo catalogue
-- was ever loaded, so start-up does not load it again after a florist removed it.
CREATE TABLE app_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

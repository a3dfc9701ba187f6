-- louzu schema, version 3: no query reads ops by (scope, hlc) — export reads ranges by
-- the primary key — so the index only slowed every write.
DROP INDEX IF EXISTS ops_scope_hlc;

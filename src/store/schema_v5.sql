-- louzu schema, version 5: a compact op log. Every id an op names is interned once —
-- UUIDs as 16-byte blobs — and an op row is small integers, its clock and its value
-- (stored natively: a reference as the referenced record's uid, yes/no as 0/1, text as
-- text, anything else as JSON). The field's current holder is the greatest (hlc, origin)
-- among its ops, found through `op_field`, so no separate field_state table is kept.
-- Migrated in place from v3 (migrate.rs copies the rows between the two halves).

CREATE TABLE uid (
    id  INTEGER PRIMARY KEY,
    key BLOB NOT NULL UNIQUE              -- 16 bytes for a UUID, else the id's text
);

-- One device's ops in one scope: the (origin, scope) a seq counts in.
CREATE TABLE stream (
    id     INTEGER PRIMARY KEY,
    origin INTEGER NOT NULL,              -- uid of the device
    scope  INTEGER NOT NULL,              -- uid of the building, or of 'shared'
    UNIQUE (origin, scope)
);

CREATE TABLE field_name (
    id     INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    field  TEXT NOT NULL,
    vkind  TEXT NOT NULL,                 -- how integers decode: bool, ref or plain
    UNIQUE (entity, field)
);

CREATE TABLE op (
    stream        INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    hlc           INTEGER NOT NULL,
    change        INTEGER NOT NULL,       -- uid of the user action
    rec           INTEGER NOT NULL,       -- uid of the record
    field         INTEGER NOT NULL,       -- field_name
    value,
    prev_stream   INTEGER,                -- the op this one overwrote (same scope)
    prev_seq      INTEGER,
    merged_stream INTEGER,                -- the second op a conflict resolution overwrote
    merged_seq    INTEGER,
    PRIMARY KEY (stream, seq)
) WITHOUT ROWID;
-- A field's history and current holder; a record's ops (edit-vs-delete, find by id).
CREATE INDEX op_field ON op (rec, field);

-- Where each change's ops lie: they are consecutive in every stream the change wrote,
-- so a few rows per change replace an index on `op.change`.
CREATE TABLE change_span (
    change INTEGER NOT NULL,
    stream INTEGER NOT NULL,
    first  INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (change, stream)
) WITHOUT ROWID;

-- migrate.rs moves v4's ops into the tables above here, then the old tables go.
-- @copy

DROP TABLE IF EXISTS ops;
DROP TABLE IF EXISTS field_state;

-- The office's picker counts each building's overdue planned visits from this index
-- alone (with `deleted` in it, no visit row is read).
DROP INDEX IF EXISTS visit_building;
CREATE INDEX visit_building ON visit (building_id, status, due, deleted);

-- Readable views with v3's columns, for people inspecting a database with sqlite3 (and
-- for tests); louzu itself reads the tables above.
CREATE VIEW uid_text AS
SELECT id, CASE WHEN typeof(key) = 'blob' AND length(key) = 16 THEN
    lower(substr(hex(key), 1, 8) || '-' || substr(hex(key), 9, 4) || '-' ||
          substr(hex(key), 13, 4) || '-' || substr(hex(key), 17, 4) || '-' ||
          substr(hex(key), 21, 12))
    ELSE CAST(key AS TEXT) END AS text
FROM uid;

CREATE VIEW ops AS
SELECT so.text AS origin, ss.text AS scope, o.seq AS seq, o.hlc AS hlc,
       c.text AS change_id, f.entity AS entity, r.text AS entity_id, f.field AS field,
       CASE
         WHEN o.value IS NULL THEN 'null'
         WHEN typeof(o.value) = 'integer' AND f.vkind = 'bool'
           THEN CASE WHEN o.value <> 0 THEN 'true' ELSE 'false' END
         WHEN typeof(o.value) = 'integer' AND f.vkind = 'ref'
           THEN json_quote((SELECT text FROM uid_text WHERE id = o.value))
         WHEN typeof(o.value) = 'text' THEN json_quote(o.value)
         ELSE CAST(o.value AS TEXT)
       END AS value,
       (SELECT u.text FROM stream s JOIN uid_text u ON u.id = s.origin
         WHERE s.id = o.prev_stream) AS prev_origin,
       o.prev_seq AS prev_seq,
       (SELECT u.text FROM stream s JOIN uid_text u ON u.id = s.origin
         WHERE s.id = o.merged_stream) AS merged_origin,
       o.merged_seq AS merged_seq
FROM op o
JOIN stream st ON st.id = o.stream
JOIN uid_text so ON so.id = st.origin
JOIN uid_text ss ON ss.id = st.scope
JOIN uid_text c ON c.id = o.change
JOIN uid_text r ON r.id = o.rec
JOIN field_name f ON f.id = o.field;

CREATE VIEW field_state AS
SELECT r.text AS entity_id, f.field AS field, so.text AS origin, ss.text AS scope,
       o.seq AS seq, o.hlc AS hlc
FROM op o
JOIN stream st ON st.id = o.stream
JOIN uid_text so ON so.id = st.origin
JOIN uid_text ss ON ss.id = st.scope
JOIN uid_text r ON r.id = o.rec
JOIN field_name f ON f.id = o.field
WHERE NOT EXISTS (
    SELECT 1 FROM op x JOIN stream xs ON xs.id = x.stream JOIN uid_text xo ON xo.id = xs.origin
    WHERE x.rec = o.rec AND x.field = o.field
      AND (x.hlc > o.hlc OR (x.hlc = o.hlc AND xo.text > so.text)));

-- louzu schema, version 1. Every entity table has a UUIDv7 text key and the `deleted`
-- tombstone; columns are nullable because ops for a record may arrive in any order.
-- Values of tag and id-list fields are JSON arrays stored as text.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The append-only op log: the one source every table below is materialised from.
CREATE TABLE ops (
    origin     TEXT    NOT NULL,            -- device id that made the op
    scope      TEXT    NOT NULL,            -- building id, or 'shared'
    seq        INTEGER NOT NULL,            -- counted per (origin, scope), from 1
    hlc        INTEGER NOT NULL,            -- hybrid logical clock: ms << 16 | counter
    change_id  TEXT    NOT NULL,            -- the user action this op belongs to
    entity     TEXT    NOT NULL,
    entity_id  TEXT    NOT NULL,
    field      TEXT    NOT NULL,
    value      TEXT    NOT NULL,            -- JSON
    prev_origin TEXT,                       -- the op this one overwrote for the field
    prev_seq    INTEGER,
    PRIMARY KEY (origin, scope, seq)
) WITHOUT ROWID;
CREATE INDEX ops_entity ON ops (entity_id, field);
CREATE INDEX ops_change ON ops (change_id);
CREATE INDEX ops_scope_hlc ON ops (scope, hlc);

-- The op currently winning each field (last writer wins by (hlc, origin)).
CREATE TABLE field_state (
    entity_id TEXT    NOT NULL,
    field     TEXT    NOT NULL,
    origin    TEXT    NOT NULL,
    scope     TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    hlc       INTEGER NOT NULL,
    PRIMARY KEY (entity_id, field)
) WITHOUT ROWID;

-- Highest contiguous seq held per (origin, scope): the version vector.
CREATE TABLE clock (
    origin TEXT    NOT NULL,
    scope  TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (origin, scope)
) WITHOUT ROWID;

-- Concurrent edits: the winner is applied, the other value kept here for review.
CREATE TABLE conflicts (
    id          TEXT PRIMARY KEY,
    entity      TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    win_origin  TEXT    NOT NULL,
    win_scope   TEXT    NOT NULL,
    win_seq     INTEGER NOT NULL,
    lose_origin TEXT    NOT NULL,
    lose_scope  TEXT    NOT NULL,
    lose_seq    INTEGER NOT NULL,
    resolved_by TEXT
);

-- The journal of user actions (活动记录): one row per change, its ops point at it.
CREATE TABLE changes (
    id        TEXT PRIMARY KEY,
    origin    TEXT    NOT NULL,
    hlc       INTEGER NOT NULL,
    at        TEXT    NOT NULL,             -- local time, RFC 3339 with +08:00
    author    TEXT    NOT NULL,
    action    TEXT    NOT NULL,             -- create/edit/delete/restore/undo/import/resolve
    entity    TEXT,
    entity_id TEXT,
    building_id TEXT,
    summary   TEXT    NOT NULL,
    undoes    TEXT
);
CREATE INDEX changes_hlc ON changes (hlc);
CREATE INDEX changes_building ON changes (building_id, hlc);
CREATE INDEX changes_undoes ON changes (undoes);

CREATE TABLE building (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    name TEXT, address TEXT, neighbourhood TEXT, compound TEXT
);
CREATE TABLE household (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, room TEXT, tags TEXT, note TEXT
);
CREATE INDEX household_building ON household (building_id);
CREATE TABLE resident (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, household_id TEXT, name TEXT, gender TEXT, birth_year INTEGER,
    phone TEXT, note TEXT
);
CREATE INDEX resident_building ON resident (building_id);
CREATE TABLE member (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, household_id TEXT, name TEXT, category TEXT, home_org TEXT,
    home_org_contact TEXT, report_date TEXT, skills TEXT, show_identity INTEGER,
    contact_public INTEGER, group_role TEXT, phone TEXT
);
CREATE INDEX member_building ON member (building_id);
CREATE TABLE pairing (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, member_id TEXT, household_id TEXT, since TEXT, note TEXT
);
CREATE INDEX pairing_building ON pairing (building_id);
CREATE TABLE visit (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, household_id TEXT, due TEXT, purpose TEXT, assigned TEXT,
    status TEXT, done_on TEXT, visitors TEXT, situation TEXT, handling TEXT,
    follow_up TEXT, reason TEXT
);
CREATE INDEX visit_building ON visit (building_id, status, due);
CREATE TABLE need (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, household_id TEXT, category TEXT, description TEXT, source TEXT,
    owner TEXT, status TEXT, escalated_to TEXT, measures TEXT, feedback TEXT,
    raised_on TEXT, closed_on TEXT
);
CREATE INDEX need_building ON need (building_id, status);
CREATE TABLE duty_assignment (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, member_id TEXT, role TEXT
);
CREATE INDEX duty_assignment_building ON duty_assignment (building_id);
CREATE TABLE duty_tick (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, member_id TEXT, role TEXT, item TEXT, period TEXT, done INTEGER,
    on_date TEXT, note TEXT
);
CREATE INDEX duty_tick_building ON duty_tick (building_id, period);
CREATE TABLE attestation (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, month TEXT, target TEXT, met INTEGER, note TEXT
);
CREATE INDEX attestation_building ON attestation (building_id, month);
CREATE TABLE checkin (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, date TEXT, items TEXT, note TEXT, by_name TEXT
);
CREATE INDEX checkin_building ON checkin (building_id, date);
CREATE TABLE activity (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    building_id TEXT, date TEXT, place TEXT, kind TEXT, title TEXT, host TEXT,
    present TEXT, absent TEXT, residents_count INTEGER, residents TEXT, content TEXT,
    decisions TEXT, recorder TEXT
);
CREATE INDEX activity_building ON activity (building_id, date);
CREATE TABLE setting (
    id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
    key TEXT, value TEXT
);

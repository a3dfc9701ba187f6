-- louzu schema, version 2: sync bundles. Everything here is device-local except the op
-- links, which travel with their ops.

-- A conflict resolution overwrites both sides of a conflict: its `prev` is one, this the
-- other, so every replica learns the conflict is settled.
ALTER TABLE ops ADD COLUMN merged_origin TEXT;
ALTER TABLE ops ADD COLUMN merged_seq INTEGER;

-- This device's keys: Ed25519 to sign bundles, X25519 to open bundles sent to it. The
-- database file is created readable by its owner only.
CREATE TABLE device_key (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    sign_seed BLOB NOT NULL,             -- 32-byte Ed25519 secret seed
    dh_secret BLOB NOT NULL,             -- 32-byte X25519 secret
    name      TEXT NOT NULL,             -- how this device names itself in bundles
    created   TEXT NOT NULL
);

-- Devices whose bundles this one accepts and to which it can export.
CREATE TABLE trusted_device (
    sign_key  BLOB PRIMARY KEY,          -- Ed25519 public key (32 bytes)
    dh_key    BLOB NOT NULL,             -- X25519 public key (32 bytes)
    name      TEXT NOT NULL UNIQUE,
    buildings TEXT,                      -- JSON array of building ids; NULL = every building
    added     TEXT NOT NULL
);

-- What each trusted device last told us it holds (the version vector in its bundles):
-- exports to it carry only what is above these numbers.
CREATE TABLE peer_clock (
    peer   BLOB    NOT NULL,             -- the peer's Ed25519 public key
    origin TEXT    NOT NULL,
    scope  TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (peer, origin, scope)
) WITHOUT ROWID;

-- Bundles applied here, for "already imported" and the office's per-building overview.
CREATE TABLE bundle_received (
    hash      TEXT PRIMARY KEY,          -- SHA-256 of the file
    sender    TEXT NOT NULL,             -- trusted name at import time
    at        TEXT NOT NULL,
    created   TEXT NOT NULL,             -- when the sender made it
    scopes    TEXT NOT NULL,             -- JSON array of scopes it carried ops for
    ops       INTEGER NOT NULL
);

ALTER TABLE conflicts ADD COLUMN found TEXT;
CREATE INDEX conflicts_open ON conflicts (resolved_by, entity_id);

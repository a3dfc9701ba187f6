//! Embedded, ordered schema migrations tracked in SQLite's `user_version`.
//!
//! A louzu database is marked with its own `application_id`, so a file that is some other
//! program's SQLite database is recognised and refused before anything is written to it.

use rusqlite::Connection;

use super::StoreError;

/// `application_id` of every louzu database ("LZ01" as a big-endian integer).
pub const APPLICATION_ID: i64 = 0x4C5A_3031;

/// Migrations in order; index + 1 is the `user_version` after each has run.
const MIGRATIONS: &[&str] = &[
    include_str!("schema_v1.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
    include_str!("schema_v4.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// What an existing file turned out to be, found by reading only.
pub(crate) enum Found {
    /// A new or empty database: migrations create everything.
    Empty,
    /// A louzu database at this schema version.
    Louzu(i64),
}

/// Looks at the file without changing it.
pub(crate) fn inspect(conn: &Connection, path: &std::path::Path) -> Result<Found, StoreError> {
    let not_db = |e: rusqlite::Error| StoreError::NotLouzu {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(not_db)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_db)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(not_db)?;
    if app_id == 0 && version == 0 && tables == 0 {
        return Ok(Found::Empty);
    }
    if app_id != APPLICATION_ID {
        return Err(StoreError::NotLouzu {
            path: path.to_path_buf(),
            detail: "它是别的程序的 SQLite 数据库 / it is another program's SQLite database".into(),
        });
    }
    if version > LATEST {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: LATEST,
        });
    }
    Ok(Found::Louzu(version))
}

/// Runs every migration after `from`, each in its own transaction with its version bump.
pub(crate) fn migrate(conn: &mut Connection, from: i64) -> Result<(), StoreError> {
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

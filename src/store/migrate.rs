//! Embedded, ordered schema migrations tracked in SQLite's `user_version`.
//!
//! A louzu database is marked with its own `application_id`, so a file that is some other
//! program's SQLite database is recognised and refused before anything is written to it.

use rusqlite::{Connection, Transaction};

use super::StoreError;
use super::oplog::{OpLog, Row};
use crate::domain::EntityKind;

/// `application_id` of every louzu database ("LZ01" as a big-endian integer).
pub const APPLICATION_ID: i64 = 0x4C5A_3031;

/// Migrations in order; index + 1 is the `user_version` after each has run. A migration
/// is SQL, with an optional step in Rust run where the SQL says `-- @copy`.
const MIGRATIONS: &[(&str, Option<Step>)] = &[
    (include_str!("schema_v1.sql"), None),
    (include_str!("schema_v2.sql"), None),
    (include_str!("schema_v3.sql"), None),
    (include_str!("schema_v4.sql"), None),
    (include_str!("schema_v5.sql"), Some(copy_v4_ops)),
    (include_str!("schema_v6.sql"), None),
    (include_str!("schema_v7.sql"), None),
];

type Step = fn(&Transaction) -> Result<(), StoreError>;

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
    for (i, (sql, step)) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let tx = conn.transaction()?;
        match (sql.split_once("-- @copy"), step) {
            (Some((before, after)), Some(step)) => {
                tx.execute_batch(before)?;
                step(&tx)?;
                tx.execute_batch(after)?;
            }
            _ => tx.execute_batch(sql)?,
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// v4 → v5: every op row re-stored compactly, in (origin, scope, seq) order, then where
/// each change's ops lie. Values are decoded from v4's JSON text and re-encoded by their
/// field's kind, so every op reads back exactly as before.
fn copy_v4_ops(tx: &Transaction) -> Result<(), StoreError> {
    let log = OpLog::new(tx);
    let mut stmt = tx.prepare(
        "SELECT origin, scope, seq, hlc, change_id, entity, entity_id, field, value,
                prev_origin, prev_seq, merged_origin, merged_seq
         FROM ops ORDER BY origin, scope, seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let origin: String = r.get(0)?;
        let scope: String = r.get(1)?;
        let entity: String = r.get(5)?;
        let field: String = r.get(7)?;
        let value: String = r.get(8)?;
        let json: serde_json::Value = serde_json::from_str(&value)?;
        let spec = EntityKind::parse(&entity).and_then(|k| Some((k, k.field(&field)?)));
        let (field, value) = match spec {
            Some((kind, spec)) => (log.field(kind, spec)?, log.encode(spec, &json)?),
            // A field this build does not know (never written by louzu): kept as JSON.
            None => (
                log.raw_field(&entity, &field)?,
                rusqlite::types::Value::Blob(value.into_bytes()),
            ),
        };
        let link = |o: Option<String>, s: Option<i64>| -> Result<_, StoreError> {
            match o.zip(s) {
                Some((o, s)) => Ok(Some((log.intern_stream(&o, &scope)?, s))),
                None => Ok(None),
            }
        };
        let row = Row {
            stream: log.intern_stream(&origin, &scope)?,
            seq: r.get(2)?,
            hlc: r.get(3)?,
            change: log.intern(&r.get::<_, String>(4)?)?,
            rec: log.intern(&r.get::<_, String>(6)?)?,
            field,
            value,
            prev: link(r.get(9)?, r.get(10)?)?,
            merged: link(r.get(11)?, r.get(12)?)?,
            seen: Vec::new(),
        };
        log.insert(&row)?;
    }
    tx.execute_batch(
        "INSERT INTO change_span (change, stream, first, last)
         SELECT change, stream, min(seq), max(seq) FROM op GROUP BY change, stream",
    )?;
    Ok(())
}

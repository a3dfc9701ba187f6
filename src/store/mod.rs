//! The SQLite store: one constructor, one write path ([`Store::commit`]), and the queries
//! the panes and commands read from.

mod batch;
mod dump;
mod duty;
mod hlc;
mod journal;
mod migrate;
pub use migrate::LATEST as SCHEMA_VERSION;
mod oplog;
mod read;
mod record;
mod undo;
pub use undo::Undone;
mod visits;
mod write;

pub use crate::domain::visit::{Completion, NewNeed, Outcome};
pub use duty::{AttestationRow, DutyTickRow};
pub use hlc::{DAY_MS, Hlc};
pub use journal::{EntryDetail, FieldChange, JournalFilter, LogKind};
pub(crate) use oplog::OpLog;
pub use read::{
    BuildingRow, ChangeRow, Household, Member, Pairing, Resident, Roster, TickRow, VisitRow,
};
pub use record::{Record, label_field};
pub use visits::{Counts, NeedRow};
pub use write::{Action, Applied, ApplyOutcome, Change, Edit, Op, SHARED_SCOPE};
pub(crate) use write::{apply_linked, commit_in, commit_logged, now_local, settle, winner};

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::domain::DomainError;

/// Everything that can go wrong reading or writing the database, said so a leader can act.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "「{path}」不是 louzu 数据库（{detail}）。文件未作任何改动；请用 --db 指定正确的文件。"
    )]
    NotLouzu { path: PathBuf, detail: String },
    #[error(
        "「{path}」由更新版本的 louzu 创建（数据版本 {found}，本程序支持到 {supported}）。文件未作改动；请升级 louzu。"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("「{path}」是只读文件，无法保存修改。请检查文件权限，或用 --db 指定可写的位置。")]
    ReadOnly { path: PathBuf },
    #[error("无法创建数据目录「{path}」：{source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{field}：{error}")]
    Invalid { field: String, error: DomainError },
    #[error("{0}")]
    Rule(String),
    /// A need's status change the rules refuse (fed back without feedback…).
    #[error("{0}")]
    Need(crate::domain::need::NeedError),
    #[error("没有找到记录 {0}")]
    NotFound(String),
    #[error("字段「{field}」不属于{kind}")]
    UnknownField { kind: String, field: String },
    #[error("{}", sql_message(.0))]
    Sql(#[from] rusqlite::Error),
    #[error("数据格式错误：{0}")]
    Json(#[from] serde_json::Error),
}

impl StoreError {
    /// The message in the interface language where the error knows both (a field that
    /// failed validation, a refused need status); the others say their own text.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match (self, lang) {
            (StoreError::Invalid { field, error }, crate::i18n::Lang::En) => {
                let label = crate::domain::entity::field_label_en(field);
                let said = error.message(lang);
                // "Name is required" names its field already.
                if said.contains(label) {
                    said
                } else {
                    format!("{label}: {said}")
                }
            }
            (StoreError::Need(e), _) => e.message(lang),
            _ => self.to_string(),
        }
    }
}

/// What a database error means for the person at the keyboard. Every write is one
/// transaction, so whatever failed, nothing half-done was kept.
fn sql_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    let code = match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    };
    match code {
        Some(C::DiskFull) => "磁盘已满，这次修改没有保存（之前的数据完好）。请腾出空间后再试。\
             / The disk is full: this change was not saved; earlier data is intact."
            .to_string(),
        Some(C::ReadOnly) | Some(C::CannotOpen) | Some(C::PermissionDenied) => format!(
            "无法写入数据库文件（{e}），这次修改没有保存。请检查文件和文件夹的权限，\
             或是否在只读的 U 盘上。 / The database cannot be written; nothing was saved."
        ),
        Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => "数据库正被另一个 louzu 使用，\
             请关闭另一个窗口后再试；这次修改没有保存。 / Another louzu is using the database."
            .to_string(),
        Some(C::DatabaseCorrupt) | Some(C::NotADatabase) => format!(
            "数据库文件已损坏（{e}）。请不要继续写入，用备份或同步文件恢复。 \
             / The database file is damaged; restore it from a backup or a bundle."
        ),
        _ => format!("数据库错误：{e}"),
    }
}

/// An open louzu database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    device: String,
    author: String,
}

impl Store {
    /// Opens (creating if needed) the database at `path`: checks what the file is before
    /// changing anything, then sets WAL, `synchronous=NORMAL`, foreign keys and a busy
    /// timeout, runs migrations and makes this device's id on first use.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let existed = path.exists();
        if existed && is_read_only(path) {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        if !existed {
            create_private_file(path).map_err(|source| StoreError::CreateDir {
                path: path.to_path_buf(),
                source,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let mut conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // The write path prepares one UPDATE per (table, column) plus the op-log and sync
        // statements: far more than rusqlite's default 16, which made writes re-parse SQL.
        conn.set_prepared_statement_cache_capacity(256);
        let found = migrate::inspect(&conn, path)?;
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let from = match found {
            migrate::Found::Empty => 0,
            migrate::Found::Louzu(v) => v,
        };
        migrate::migrate(&mut conn, from)?;
        let device = match meta_get(&conn, "device_id")? {
            Some(d) => d,
            None => {
                let d = uuid::Uuid::now_v7().to_string();
                meta_set(&conn, "device_id", &d)?;
                d
            }
        };
        let author = meta_get(&conn, "owner_name")?.unwrap_or_default();
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            device,
            author,
        })
    }

    /// This device's id, the `origin` of every op it makes.
    pub fn device_id(&self) -> &str {
        &self.device
    }

    /// Origins this database made ops under before its current one: it takes a new one
    /// when an import shows it was restored from a backup or copied (see
    /// [`new_origin_in`]), so its old op numbers are never reused.
    pub fn former_origins(&self) -> Result<Vec<String>, StoreError> {
        Ok(meta_get(&self.conn, "former_origins")?
            .map(|s| {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Other devices' names by origin id, as their bundles told us (`origin_name.*`), so
    /// the log names a peer ("副组长的笔记本") rather than showing an id.
    pub fn peer_names(&self) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT substr(key, 13), value FROM meta WHERE substr(key, 1, 12) = 'origin_name.'",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Re-reads this device's origin after [`new_origin_in`] changed it in a transaction.
    pub(crate) fn reload_origin(&mut self) -> Result<(), StoreError> {
        if let Some(d) = meta_get(&self.conn, "device_id")? {
            self.device = d;
        }
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The device owner's name (the leader), recorded as the author of each change.
    pub fn owner_name(&self) -> &str {
        &self.author
    }

    /// Sets the owner's name, asked on first run. Device-local, so not an op.
    pub fn set_owner_name(&mut self, name: &str) -> Result<(), StoreError> {
        meta_set(&self.conn, "owner_name", name.trim())?;
        self.author = name.trim().to_string();
        Ok(())
    }

    /// A device-local setting (current building, chosen theme…); never synced.
    pub fn local_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        meta_get(&self.conn, &format!("local.{key}"))
    }

    /// Stores a device-local setting.
    pub fn set_local_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        meta_set(&self.conn, &format!("local.{key}"), value)
    }

    /// Read access for queries in other modules (reports, sync) that need raw SQL.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection for sync, which writes imported ops through [`apply_linked`] and
    /// its own device-local tables in one transaction.
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// Gives this database a new origin (the device id its future ops carry) on `conn`'s open
/// transaction, remembering the old one. Every op already made keeps its identity; only
/// future edits are numbered afresh, so a restored or copied database can never reuse an
/// (origin, seq) another copy already used. Call [`Store::reload_origin`] after commit.
pub(crate) fn new_origin_in(conn: &Connection, old: &str) -> Result<String, StoreError> {
    let new = uuid::Uuid::now_v7().to_string();
    let mut former = meta_get(conn, "former_origins")?.unwrap_or_default();
    if !former.split(',').any(|x| x == old) {
        if !former.is_empty() {
            former.push(',');
        }
        former.push_str(old);
    }
    meta_set(conn, "former_origins", &former)?;
    meta_set(conn, "device_id", &new)?;
    Ok(new)
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

fn is_read_only(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| m.permissions().readonly())
        .unwrap_or(false)
        || std::fs::OpenOptions::new().append(true).open(path).is_err()
}

/// Creates an empty file readable by its owner only: resident data is personal information.
#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
}

/// On Windows the file inherits the ACL of the user's profile folder, which is already
/// private to that user.
#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(drop)
}

#[cfg(test)]
mod duty_tests;
#[cfg(test)]
mod tests;

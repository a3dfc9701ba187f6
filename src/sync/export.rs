//! `louzu export`: a bundle holding what its recipients are not known to have, in the
//! scopes they may receive, written to a temporary file and renamed into place.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::params;

use super::SyncError;
use super::bundle::{Recipient, seal};
use super::codec::{Header, JournalRow, Range, Writer};
use super::identity::Identity;
use super::trust::{self, TrustedDevice};
use crate::progress::{Progress, Stage};
use crate::store::{OpLog, SHARED_SCOPE, Store, now_local};

/// What to export and for whom.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Names of trusted devices the bundle is for.
    pub for_names: Vec<String>,
    /// A passphrase that also opens the bundle.
    pub passphrase: Option<String>,
    /// Everything in scope, not only what the recipients are missing.
    pub full: bool,
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub ops: u64,
    pub bytes: u64,
    pub recipients: Vec<String>,
    /// Buildings (scopes other than shared) it carries ops for.
    pub scopes: usize,
}

/// Builds the bundle's bytes without writing a file (tests and benches use this).
pub fn build(store: &Store, opts: &ExportOptions) -> Result<(Vec<u8>, ExportSummary), SyncError> {
    build_with(store, opts, &Progress::none())
}

/// [`build`], reporting the changes collected and stopping when asked to.
pub fn build_with(
    store: &Store,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<(Vec<u8>, ExportSummary), SyncError> {
    let me = Identity::load_or_create(store)?;
    let mut devices: Vec<TrustedDevice> = Vec::new();
    for name in &opts.for_names {
        devices.push(
            trust::by_name(store, name)?.ok_or_else(|| SyncError::UnknownDevice {
                name: name.clone(),
                known: trust::known_names(store).unwrap_or_default(),
            })?,
        );
    }
    if devices.is_empty() && opts.passphrase.is_none() {
        return Err(SyncError::NoRecipient {
            known: trust::known_names(store)?,
        });
    }
    // A bundle for several devices can be read by each of them, so it carries only the
    // buildings every one of them may receive.
    let mut allowed: Option<HashSet<String>> = None;
    for d in &devices {
        if let Some(b) = &d.buildings {
            let set: HashSet<String> = b.iter().cloned().collect();
            allowed = Some(match allowed {
                None => set,
                Some(a) => a.intersection(&set).cloned().collect(),
            });
        }
    }
    let in_scope =
        |scope: &str| scope == SHARED_SCOPE || allowed.as_ref().is_none_or(|a| a.contains(scope));
    // What they are known to hold: the least any of them told us. A passphrase bundle may
    // reach anyone, so it carries everything.
    let minimal = !opts.full && opts.passphrase.is_none();
    let mut known: Option<HashMap<(String, String), i64>> = None;
    if minimal {
        for d in &devices {
            let theirs = trust::peer_clock(store, &d.key.sign)?;
            known = Some(match known {
                None => theirs,
                Some(k) => k
                    .into_iter()
                    .filter_map(|(key, seq)| theirs.get(&key).map(|t| (key, seq.min(*t))))
                    .collect(),
            });
        }
    }
    let conn = store.conn();
    let clock: Vec<(String, String, i64)> = conn
        .prepare("SELECT origin, scope, seq FROM clock ORDER BY origin, scope")?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|(_, scope, _)| in_scope(scope))
        .collect();
    let mut ranges: Vec<Range> = Vec::new();
    for (origin, scope, seq) in &clock {
        let held = known
            .as_ref()
            .and_then(|k| k.get(&(origin.clone(), scope.clone())).copied())
            .unwrap_or(0);
        if *seq > held {
            ranges.push(Range {
                origin: origin.clone(),
                scope: scope.clone(),
                first: held + 1,
                last: *seq,
                sha256: None,
            });
        }
    }
    let mut w = Writer::default();
    let mut changes: HashSet<String> = HashSet::new();
    let log = OpLog::new(conn);
    let total: i64 = ranges.iter().map(|r| r.last - r.first + 1).sum();
    let mut done = 0u64;
    progress.step(Stage::Collecting, 0, total as u64);
    for r in &mut ranges {
        each_op(&log, &r.origin, &r.scope, r.first, r.last, |op| {
            if progress.cancelled() {
                return Err(SyncError::ExportCancelled {
                    file: PathBuf::new(),
                });
            }
            done += 1;
            progress.step(Stage::Collecting, done, total as u64);
            if !changes.contains(op.change_id) {
                changes.insert(op.change_id.to_string());
            }
            w.push(
                &r.origin,
                &r.scope,
                op.seq,
                op.hlc,
                op.change_id,
                op.entity,
                op.entity_id,
                op.field,
                op.value,
                op.prev,
                op.merged,
                &op.seen,
            );
            Ok(())
        })?;
        r.sha256 = Some(w.take_range_hash());
    }
    let journal = journal_rows(store, &changes, &in_scope)?;
    let header = Header {
        sender_device: store.device_id().to_string(),
        sender_name: me.name.clone(),
        created: now_local(),
        recipients: devices.iter().map(|d| d.name.clone()).collect(),
        full: !minimal,
        clock,
        ops: 0,
        hlc_min: 0,
        hlc_max: 0,
        sha256: String::new(),
        body_len: 0,
        former_origins: store.former_origins()?,
        forks: super::fork::known(conn)?,
        ranges,
        causal: true,
    };
    let scopes = header
        .ranges
        .iter()
        .map(|r| r.scope.as_str())
        .filter(|s| *s != SHARED_SCOPE)
        .collect::<HashSet<_>>()
        .len();
    let ops = w.count();
    let body = w
        .finish(header, &journal)
        .map_err(|detail| SyncError::Seal { detail })?;
    let mut recipients: Vec<Recipient> = devices
        .iter()
        .map(|d| Recipient::Device(d.key.dh))
        .collect();
    if let Some(p) = &opts.passphrase {
        recipients.push(Recipient::Passphrase(p.clone()));
    }
    progress.step(Stage::Sealing, 0, 0);
    let bytes = seal(&me, &recipients, &body)?;
    let summary = ExportSummary {
        path: PathBuf::new(),
        ops,
        bytes: bytes.len() as u64,
        recipients: devices.into_iter().map(|d| d.name).collect(),
        scopes,
    };
    Ok((bytes, summary))
}

/// One stored op as a bundle carries it.
pub(crate) struct StoredOp<'a> {
    pub seq: i64,
    pub hlc: i64,
    pub change_id: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub field: &'a str,
    /// The value as JSON text.
    pub value: &'a str,
    pub prev: Option<(&'a str, i64)>,
    pub merged: Option<(&'a str, i64)>,
    /// What its author had seen of the record, by origin name (sorted; usually empty).
    pub seen: Vec<(&'a str, i64)>,
}

impl StoredOp<'_> {
    /// Its content digest ([`super::codec::op_digest`]) as `origin`/`scope`'s op, with
    /// the value spelled as `value` (as stored, or in canonical form).
    pub(crate) fn digest(&self, origin: &str, scope: &str, value: &str) -> [u8; 32] {
        super::codec::op_digest(
            origin,
            scope,
            self.seq,
            self.hlc,
            self.change_id,
            self.entity,
            self.entity_id,
            self.field,
            value,
            self.prev,
            self.merged,
            &self.seen,
        )
    }
}

/// Calls `f` with each op of `origin` in `scope` numbered `first..=last`, in seq order: the
/// one reading of the op log for bundles, shared by export and by import's check of ranges
/// both sides hold.
pub(crate) fn each_op(
    log: &OpLog,
    origin: &str,
    scope: &str,
    first: i64,
    last: i64,
    mut f: impl FnMut(&StoredOp) -> Result<(), SyncError>,
) -> Result<(), SyncError> {
    let Some(stream) = log.stream(origin, scope)? else {
        return Ok(());
    };
    // The few ops of the range that carry a context, read in one go.
    let mut contexts: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    {
        let mut stmt = log.conn.prepare_cached(
            "SELECT seq, seen, upto FROM op_seen WHERE stream = ?1 AND seq BETWEEN ?2 AND ?3",
        )?;
        let mut rows = stmt.query(params![stream, first, last])?;
        while let Some(row) = rows.next()? {
            let origin = log.origin_of(row.get(1)?)?;
            contexts
                .entry(row.get(0)?)
                .or_default()
                .push((origin, row.get(2)?));
        }
    }
    for c in contexts.values_mut() {
        c.sort();
    }
    let mut stmt = log.conn.prepare_cached(
        "SELECT seq, hlc, change, rec, field, value, prev_stream, prev_seq, merged_stream,
                merged_seq
         FROM op WHERE stream = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq",
    )?;
    let mut rows = stmt.query(params![stream, first, last])?;
    while let Some(row) = rows.next()? {
        // A field this release does not know is not carried (it cannot be decoded).
        let Some((kind, spec)) = log.spec(row.get(4)?)? else {
            continue;
        };
        let link = |s: usize| -> Result<Option<(String, i64)>, SyncError> {
            let stream: Option<i64> = row.get(s)?;
            let seq: Option<i64> = row.get(s + 1)?;
            match stream.zip(seq) {
                Some((st, q)) => Ok(Some((log.origin_of(st)?, q))),
                None => Ok(None),
            }
        };
        let (prev, merged) = (link(6)?, link(8)?);
        let v = log.decode(spec, row.get_ref(5)?)?;
        let value = serde_json::to_string(&v).map_err(crate::store::StoreError::from)?;
        let change_id = log.name(row.get(2)?)?;
        let entity_id = log.name(row.get(3)?)?;
        let seq: i64 = row.get(0)?;
        let seen = contexts
            .get(&seq)
            .map(|c| c.iter().map(|(o, s)| (o.as_str(), *s)).collect())
            .unwrap_or_default();
        f(&StoredOp {
            seq,
            hlc: row.get(1)?,
            change_id: &change_id,
            entity: kind.name(),
            entity_id: &entity_id,
            field: spec.name,
            value: &value,
            prev: prev.as_ref().map(|(o, s)| (o.as_str(), *s)),
            merged: merged.as_ref().map(|(o, s)| (o.as_str(), *s)),
            seen,
        })?;
    }
    Ok(())
}

/// The journal rows of the exported changes, in scope.
fn journal_rows(
    store: &Store,
    changes: &HashSet<String>,
    in_scope: &dyn Fn(&str) -> bool,
) -> Result<Vec<JournalRow>, SyncError> {
    let mut out = Vec::new();
    if changes.is_empty() {
        return Ok(out);
    }
    let mut stmt = store.conn().prepare(
        "SELECT id, origin, hlc, at, author, action, entity, entity_id, building_id, summary,
                undoes FROM changes WHERE action <> 'import' ORDER BY hlc",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(JournalRow {
            id: r.get(0)?,
            origin: r.get(1)?,
            hlc: r.get(2)?,
            at: r.get(3)?,
            author: r.get(4)?,
            action: r.get(5)?,
            entity: r.get(6)?,
            entity_id: r.get(7)?,
            building_id: r.get(8)?,
            summary: r.get(9)?,
            undoes: r.get(10)?,
        })
    })?;
    for row in rows {
        let row = row?;
        if changes.contains(&row.id) && row.building_id.as_deref().is_none_or(in_scope) {
            out.push(row);
        }
    }
    Ok(out)
}

/// Writes a bundle to `to`: into a temporary file beside it (same folder, so the rename
/// stays on one disk), flushed, then renamed, so an interrupted export never leaves a
/// half-written bundle under the real name. The temporary file is removed on any failure,
/// and ones a killed export left in that folder are removed first.
pub fn export(store: &Store, to: &Path, opts: &ExportOptions) -> Result<ExportSummary, SyncError> {
    export_with(store, to, opts, &Progress::none())
}

/// [`export`], reporting progress; asked to stop before the file is written, it writes
/// nothing.
pub fn export_with(
    store: &Store,
    to: &Path,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<ExportSummary, SyncError> {
    let cancelled = || SyncError::ExportCancelled {
        file: to.to_path_buf(),
    };
    let (bytes, mut summary) = build_with(store, opts, progress).map_err(|e| match e {
        SyncError::ExportCancelled { .. } => cancelled(),
        other => other,
    })?;
    if progress.cancelled() {
        return Err(cancelled());
    }
    progress.step(Stage::Writing, 0, 0);
    write_atomically(to, &bytes)?;
    summary.path = to.to_path_buf();
    Ok(summary)
}

fn write_atomically(to: &Path, bytes: &[u8]) -> Result<(), SyncError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SyncError::Io { path, source }
    };
    let dir = to
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bundle".into());
    remove_stale_temporaries(dir, &name);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        drop(f);
        std::fs::rename(&tmp, to).map_err(io(to))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Removes `.NAME.PID.tmp` files an export killed mid-write left in `dir`: NAME a bundle
/// (`*.louzu`, or the name being written now) and PID not a louzu still running. Other
/// files are never touched; a file that cannot be removed is left (the export goes on).
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(f) = file.to_str() else { continue };
        let Some(inner) = f.strip_prefix('.').and_then(|f| f.strip_suffix(".tmp")) else {
            continue;
        };
        let Some((bundle, pid)) = inner.rsplit_once('.') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == me || !(bundle.ends_with(".louzu") || bundle == name) {
            continue;
        }
        if still_running(pid, &e.path()) {
            continue;
        }
        let _ = std::fs::remove_file(e.path());
    }
}

/// Whether the export that owns a temporary file may still be writing it: on Linux, its
/// process exists; elsewhere, the file changed within the last hour.
fn still_running(pid: u32, path: &Path) -> bool {
    if cfg!(target_os = "linux") {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age < std::time::Duration::from_secs(3600))
}

/// A file name for a bundle: `楼组名-日期.louzu`.
pub fn suggested_name(store: &Store) -> String {
    let building = store
        .local_setting("building")
        .ok()
        .flatten()
        .and_then(|id| {
            store
                .record(crate::domain::EntityKind::Building, &id)
                .ok()
                .flatten()
        })
        .map(|b| b.label())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "louzu".to_string());
    let date = crate::domain::date::format_date(crate::domain::date::today());
    let safe: String = building
        .chars()
        .map(|c| if "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .collect();
    format!("{safe}-{date}.louzu")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp_files(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_killed_exports_temporary_is_removed_next_time_and_a_failed_one_leaves_none() {
        let d = tempfile::tempdir().unwrap();
        // Left by a killed export (no such process), and a stranger's file.
        let stale = d.path().join(".7号楼-2026-11-26.louzu.4999999.tmp");
        std::fs::write(&stale, b"half").unwrap();
        std::fs::write(d.path().join(".notes.txt.12.tmp"), b"not ours").unwrap();
        write_atomically(&d.path().join("7号楼-2026-12-01.louzu"), b"bundle").unwrap();
        assert_eq!(tmp_files(d.path()), vec![".notes.txt.12.tmp".to_string()]);
        assert_eq!(
            std::fs::read(d.path().join("7号楼-2026-12-01.louzu")).unwrap(),
            b"bundle"
        );
        // A rename that fails (the target is a folder) leaves no temporary behind.
        let target = d.path().join("dir.louzu");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("x"), b"x").unwrap();
        let err = write_atomically(&target, b"bundle").unwrap_err();
        assert!(matches!(err, SyncError::Io { .. }), "{err}");
        assert_eq!(tmp_files(d.path()), vec![".notes.txt.12.tmp".to_string()]);
    }
}

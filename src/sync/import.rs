//! `louzu import`: check a bundle (format, signer, signature, recipient, ranges), then
//! apply every op it brings in one transaction through the store's apply step, record an
//! "import" journal entry, and learn what the sender holds. A preview is the same work
//! rolled back.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::SyncError;
use super::bundle::Outer;
use super::codec::{self, Body, Header, OpAt, OpRef};
use super::identity::Identity;
use super::trust::{self, TrustedDevice};
use crate::domain::EntityKind;
use crate::store::{
    Action, Applied, Change, Op, OpLog, SHARED_SCOPE, Store, StoreError, apply_linked,
    commit_logged, meta_get, meta_set, now_local,
};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Opens bundles exported with `--passphrase-file`.
    pub passphrase: Option<String>,
    /// Work out what would change, then roll back.
    pub dry_run: bool,
}

/// What a bundle brings (or brought): the preview shown before applying, and the summary
/// after.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    pub file: PathBuf,
    /// The sender, by the name this device trusts it under.
    pub sender: String,
    pub fingerprint: String,
    /// When the sender made the bundle.
    pub created: String,
    /// Dates (Shanghai) of the earliest and latest change it brings.
    pub dates: Option<(String, String)>,
    /// Ops not held before.
    pub new_ops: u64,
    /// Records that did not exist here.
    pub new_records: u64,
    /// Existing records with at least one field changed.
    pub changed_records: u64,
    /// Conflicts found (concurrent edits kept for review).
    pub conflicts: u64,
    /// Ops for buildings the sender is not trusted with, left out.
    pub out_of_scope: u64,
    /// Everything in it was already here: nothing changed.
    pub already_held: bool,
    /// Whether the changes were written (false for a dry run).
    pub applied: bool,
}

impl Preview {
    /// The dates it covers as a person reads them: one day, or `from 至 to`.
    pub fn date_range(&self) -> String {
        match &self.dates {
            Some((a, b)) if a == b => a.clone(),
            Some((a, b)) => format!("{a} 至 {b}"),
            None => String::new(),
        }
    }
}

/// Imports one file.
pub fn import_file(
    store: &mut Store,
    file: &Path,
    opts: &ImportOptions,
) -> Result<Preview, SyncError> {
    let bytes = std::fs::read(file).map_err(|source| SyncError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    import_bytes(store, file, &bytes, opts)
}

/// Imports several files given together, in whatever order they apply: a bundle that
/// needs another one of the set first is retried after it. Results are in input order.
pub fn import_files(
    store: &mut Store,
    files: &[PathBuf],
    opts: &ImportOptions,
) -> Vec<Result<Preview, SyncError>> {
    let mut results: Vec<Option<Result<Preview, SyncError>>> = files.iter().map(|_| None).collect();
    loop {
        let mut progress = false;
        for (i, f) in files.iter().enumerate() {
            let retry = match &results[i] {
                None => true,
                Some(Err(SyncError::Missing { .. })) => true,
                Some(_) => false,
            };
            if !retry {
                continue;
            }
            let r = import_file(store, f, opts);
            if r.is_ok() {
                progress = true;
            }
            results[i] = Some(r);
        }
        if !progress || opts.dry_run {
            break;
        }
    }
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(SyncError::NotBundle {
                    file: PathBuf::new(),
                })
            })
        })
        .collect()
}

/// Imports a bundle's bytes (`file` names it in messages).
pub fn import_bytes(
    store: &mut Store,
    file: &Path,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<Preview, SyncError> {
    let outer = Outer::parse(bytes, file)?;
    let me = Identity::load_or_create(store)?;
    let fingerprint = outer.sender.fingerprint();
    let sender: TrustedDevice = if outer.sender.sign == me.key().sign {
        TrustedDevice {
            key: me.key(),
            name: me.name.clone(),
            buildings: None,
        }
    } else {
        trust::by_sign_key(store, &outer.sender.sign)?.ok_or_else(|| SyncError::UnknownSender {
            file: file.to_path_buf(),
            fingerprint: fingerprint.clone(),
        })?
    };
    if !outer.verify() {
        return Err(SyncError::Damaged {
            file: file.to_path_buf(),
            sender: sender.name.clone(),
        });
    }
    let payload = match outer.open(&me, opts.passphrase.as_deref()) {
        Some(p) => p,
        None if opts.passphrase.is_some() && outer.has_passphrase() => {
            return Err(SyncError::WrongPassphrase {
                file: file.to_path_buf(),
            });
        }
        None => {
            return Err(SyncError::NotForUs {
                file: file.to_path_buf(),
                sender: sender.name.clone(),
                fingerprint: me.key().fingerprint(),
            });
        }
    };
    let malformed = |detail: String| SyncError::Malformed {
        file: file.to_path_buf(),
        sender: sender.name.clone(),
        detail,
    };
    let header = codec::read_header(&payload).map_err(malformed)?;
    let mut preview = Preview {
        file: file.to_path_buf(),
        sender: sender.name.clone(),
        fingerprint,
        created: header.created.clone(),
        ..Preview::default()
    };
    // Which ranges bring something new, and are they contiguous with what we hold?
    let held = our_clock(store)?;
    let allowed = |scope: &str| {
        scope == SHARED_SCOPE
            || sender
                .buildings
                .as_ref()
                .is_none_or(|b| b.iter().any(|x| x == scope))
    };
    let mut wanted: HashMap<(String, String), (i64, i64)> = HashMap::new();
    for r in &header.ranges {
        if r.first < 1 || r.last < r.first {
            return Err(malformed(format!("bad range {}–{}", r.first, r.last)));
        }
        if !allowed(&r.scope) {
            preview.out_of_scope += (r.last - r.first + 1) as u64;
            continue;
        }
        let h = held
            .get(&(r.origin.clone(), r.scope.clone()))
            .copied()
            .unwrap_or(0);
        if r.first > h + 1 {
            return Err(SyncError::Missing {
                file: file.to_path_buf(),
                sender: sender.name.clone(),
                scope: scope_label(store, &r.scope),
                from: h + 1,
                to: r.first - 1,
            });
        }
        if r.last > h {
            wanted.insert((r.origin.clone(), r.scope.clone()), (h, r.last));
        }
    }
    if wanted.is_empty() {
        // Nothing new, but what the sender holds is still news: later exports to it
        // can leave that out. (Only ever raises what we knew; a re-import changes nothing.)
        if !opts.dry_run {
            trust::learn_peer_clock(store.conn(), &sender.key.sign, &header.clock)?;
        }
        preview.already_held = true;
        return Ok(preview);
    }
    let body = Body::open(&payload).map_err(malformed)?;
    drop(payload);
    let order = plan(file, &body, &wanted, &malformed)?;
    if let (Some(first), Some(last)) = (
        order.iter().map(|o| o.hlc).min(),
        order.iter().map(|o| o.hlc).max(),
    ) {
        preview.dates = Some((date_of(first), date_of(last)));
    }
    let device = store.device_id().to_string();
    let author = store.owner_name().to_string();
    let file_hash = codec::hex(&Sha256::digest(bytes));
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    // A big import touches the op log, its index, the id table and every record table:
    // a page cache that holds their working set writes each page once, not once per
    // spill. (Back to what it was once the import is done.)
    let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    if order.len() > 10_000 {
        tx.pragma_update(None, "cache_size", -16_384)?;
    }
    let log = OpLog::new(&tx);
    // Keyed by the record's entry in the bundle's string table.
    let mut existed: HashMap<&str, bool> = HashMap::new();
    let mut created: HashSet<&str> = HashSet::new();
    let mut changed: HashSet<&str> = HashSet::new();
    for at in &order {
        let raw = body.op(at).map_err(malformed)?;
        let (op, merged) = to_op(file, &raw, &malformed)?;
        let was = match existed.get(raw.entity_id) {
            Some(&b) => b,
            None => {
                let b = tx
                    .prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", op.entity.name()))?
                    .query_row([&op.entity_id], |_| Ok(()))
                    .optional()?
                    .is_some();
                existed.insert(raw.entity_id, b);
                b
            }
        };
        let outcome = apply_linked(&log, &op, merged.as_ref(), true)?;
        if outcome.applied != Applied::Duplicate {
            preview.new_ops += 1;
        }
        preview.conflicts += outcome.conflicts as u64;
        if outcome.applied == Applied::Won {
            if was {
                changed.insert(raw.entity_id);
            } else {
                created.insert(raw.entity_id);
            }
        }
    }
    drop(order);
    log.finish()?;
    let header = &body.header;
    let journal = &body.journal;
    preview.new_records = created.len() as u64;
    preview.changed_records = changed.len() as u64;
    {
        let mut set_clock = tx.prepare_cached(
            "INSERT INTO clock (origin, scope, seq) VALUES (?1, ?2, ?3)
             ON CONFLICT(origin, scope) DO UPDATE SET seq = max(seq, excluded.seq)",
        )?;
        for ((origin, scope), (_, last)) in &wanted {
            set_clock.execute(params![origin, scope, last])?;
        }
        let mut add_change = tx.prepare_cached(
            "INSERT OR IGNORE INTO changes (id, origin, hlc, at, author, action, entity,
                 entity_id, building_id, summary, undoes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for j in journal {
            if j.building_id.as_deref().is_none_or(allowed) {
                add_change.execute(params![
                    j.id,
                    j.origin,
                    j.hlc,
                    j.at,
                    j.author,
                    j.action,
                    j.entity,
                    j.entity_id,
                    j.building_id,
                    j.summary,
                    j.undoes
                ])?;
            }
        }
    }
    // Advance our clock past everything imported, so edits made here from now on order
    // after them (and so win over what they build on).
    let hlc: i64 = meta_get(&tx, "hlc")?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    meta_set(&tx, "hlc", &hlc.max(header.hlc_max).to_string())?;
    meta_set(
        &tx,
        &format!("origin_name.{}", header.sender_device),
        &sender.name,
    )?;
    trust::learn_peer_clock(&tx, &sender.key.sign, &header.clock)?;
    tx.execute(
        "INSERT OR REPLACE INTO bundle_received (hash, sender, at, created, scopes, ops)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            file_hash,
            sender.name,
            now_local(),
            header.created,
            serde_json::to_string(&scopes_of(header)).map_err(StoreError::from)?,
            preview.new_ops as i64
        ],
    )?;
    let label = format!(
        "从「{}」导入 {} 项更改（新 {}，改 {}，冲突 {}）",
        sender.name,
        preview.new_ops,
        preview.new_records,
        preview.changed_records,
        preview.conflicts
    );
    commit_logged(
        &log,
        &device,
        &author,
        &Change {
            action: Action::Import,
            edits: Vec::new(),
            label,
            undoes: None,
        },
    )?;
    drop(log);
    tx.pragma_update(None, "cache_size", cache)?;
    if std::env::var_os("LOUZU_TEST_CRASH_DURING_IMPORT").is_some() {
        // Test hook: die the hard way with the transaction open, as a power cut would.
        std::process::abort();
    }
    if opts.dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
        preview.applied = true;
    }
    Ok(preview)
}

/// An imported op with the second op it overwrote, if it resolved a conflict.
type Incoming = (Op, Option<(String, i64)>);

/// The ops we want, checked to be complete, in the order they apply: by (hlc, origin) so
/// each one's history is applied before it. Only their places in the body are held.
fn plan(
    _file: &Path,
    body: &Body,
    wanted: &HashMap<(String, String), (i64, i64)>,
    malformed: &dyn Fn(String) -> SyncError,
) -> Result<Vec<OpAt>, SyncError> {
    let mut seen: HashMap<(u32, u32), (i64, i64, i64)> = HashMap::new();
    let mut keys: HashMap<(u32, u32), Option<(i64, i64)>> = HashMap::new();
    let mut out = body.index().map_err(malformed)?;
    out.retain(|at| {
        let range = *keys.entry((at.origin, at.scope)).or_insert_with(|| {
            wanted
                .get(&(
                    body.string(at.origin).to_string(),
                    body.string(at.scope).to_string(),
                ))
                .copied()
        });
        let Some((held, last)) = range else {
            return false;
        };
        if at.seq <= held || at.seq > last {
            return false;
        }
        seen.entry((at.origin, at.scope))
            .or_insert((held, last, 0))
            .2 += 1;
        true
    });
    out.shrink_to_fit();
    // Every wanted range must be there in full, or the clock would claim ops we lack.
    let mut got: HashMap<(&str, &str), i64> = HashMap::new();
    for ((o, sc), (_, _, n)) in &seen {
        *got.entry((body.string(*o), body.string(*sc))).or_insert(0) += n;
    }
    for ((origin, scope), (held, last)) in wanted {
        let n = got
            .get(&(origin.as_str(), scope.as_str()))
            .copied()
            .unwrap_or(0);
        if n != last - held {
            return Err(malformed(format!(
                "range {origin}/{scope} has {n} of {} ops",
                last - held
            )));
        }
    }
    out.sort_by(|a, b| {
        (a.hlc, body.string(a.origin), a.seq).cmp(&(b.hlc, body.string(b.origin), b.seq))
    });
    Ok(out)
}

/// Checks and converts one op.
fn to_op(
    file: &Path,
    r: &OpRef,
    malformed: &dyn Fn(String) -> SyncError,
) -> Result<Incoming, SyncError> {
    let entity = EntityKind::parse(r.entity).ok_or_else(|| SyncError::Unknown {
        file: file.to_path_buf(),
        detail: format!("record kind {}", r.entity),
    })?;
    if entity.field(r.field).is_none() {
        return Err(SyncError::Unknown {
            file: file.to_path_buf(),
            detail: format!("field {} of {}", r.field, entity.en()),
        });
    }
    let value = serde_json::from_str(r.value)
        .map_err(|e| malformed(format!("value of {}: {e}", r.field)))?;
    Ok((
        Op {
            origin: r.origin.to_string(),
            scope: r.scope.to_string(),
            seq: r.seq,
            hlc: r.hlc,
            change_id: r.change_id.to_string(),
            entity,
            entity_id: r.entity_id.to_string(),
            field: r.field.to_string(),
            value,
            prev: r.prev.map(|(o, s)| (o.to_string(), s)),
        },
        r.merged.map(|(o, s)| (o.to_string(), s)),
    ))
}

fn our_clock(store: &Store) -> Result<HashMap<(String, String), i64>, SyncError> {
    let mut stmt = store
        .conn()
        .prepare("SELECT origin, scope, seq FROM clock")?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn scopes_of(h: &Header) -> Vec<String> {
    let mut s: Vec<String> = h.ranges.iter().map(|r| r.scope.clone()).collect();
    s.sort();
    s.dedup();
    s
}

/// A scope as people know it: the building's name, or 共享设置 for shared settings.
pub fn scope_label(store: &Store, scope: &str) -> String {
    if scope == SHARED_SCOPE {
        return "共享设置".to_string();
    }
    store
        .record(EntityKind::Building, scope)
        .ok()
        .flatten()
        .map(|b| b.label())
        .filter(|n| !n.is_empty())
        .map(|n| format!("楼组「{n}」"))
        .unwrap_or_else(|| format!("楼组 {scope}"))
}

/// The Shanghai date of an HLC reading.
pub fn date_of(hlc: i64) -> String {
    jiff::Timestamp::from_millisecond(hlc >> 16)
        .map(|t| {
            crate::domain::date::format_date(t.to_zoned(crate::domain::date::shanghai()).date())
        })
        .unwrap_or_default()
}

//! `louzu import`: check a bundle (format, signer, signature, recipient, ranges), then
//! apply every op it brings in one transaction through the store's apply step, record an
//! "import" journal entry, and learn what the sender holds. A preview is the same work
//! rolled back.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::SyncError;
use super::bundle::MAX_FILE;
use super::bundle::Outer;
use super::codec::{self, Body, DecodeError, Header, OpAt, OpRef, RawOp};
use super::fork;
use super::identity::Identity;
use super::trust::{self, TrustedDevice};
use crate::domain::EntityKind;
use crate::store::{
    Action, Applied, Change, DAY_MS, Hlc, Op, OpLog, SHARED_SCOPE, Store, StoreError, apply_linked,
    commit_logged, meta_get, meta_set, new_origin_in, now_local,
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
    /// This device's own op numbers the sender holds and it does not (`from..=to`): the
    /// database was restored from a backup or copied.
    pub own_ahead: Option<(i64, i64)>,
    /// Op numbers held here and in the bundle with different content; both kept.
    pub forks: Vec<ForkNote>,
    /// This device took a new origin for its future edits (restored or copied).
    pub new_origin: bool,
}

/// One device's ops found in two versions, as the import's result names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkNote {
    /// The device, by its trusted name.
    pub device: String,
    /// The building (or shared settings), as people know it.
    pub scope: String,
    pub from: i64,
    pub to: i64,
    /// Whether they are this device's own.
    pub ours: bool,
}

impl Preview {
    /// What the import found about restored or copied databases and did about it, one
    /// sentence each (Chinese / English), for the result message.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.new_origin || self.own_ahead.is_some() {
            let mut s = "本机数据库是从备份恢复的，或是从另一台电脑复制来的".to_string();
            if let Some((a, b)) = self.own_ahead {
                s.push_str(&format!(
                    "：「{}」手里有本机第 {a}–{b} 条更改，本机却没有",
                    self.sender
                ));
            }
            s.push_str(if self.applied {
                "。本机今后的修改已改用新的编号记录，不会和已经发出的更改混淆；已有的内容全部保留。"
            } else {
                "。导入时本机今后的修改会改用新的编号记录，已有的内容全部保留。"
            });
            if self.own_ahead.is_some() || self.forks.iter().any(|f| f.ours) {
                s.push_str(&format!(
                    "要取回恢复时丢掉的更改，请让「{}」运行 `louzu export --full --for 本机名称`，再导入。",
                    self.sender
                ));
            }
            s.push_str(" / This database was restored from a backup or copied: its future edits use a new origin; nothing was lost.");
            if self.own_ahead.is_some() || self.forks.iter().any(|f| f.ours) {
                s.push_str(" Ask the sender for `louzu export --full` to get back the changes the restore dropped.");
            }
            out.push(s);
        }
        for f in &self.forks {
            let nums = if f.from == f.to {
                format!("{} 条起", f.from)
            } else {
                format!("{}–{} 条", f.from, f.to)
            };
            out.push(format!(
                "「{}」在{}的第 {nums}更改有两个版本（{}的数据库被恢复或复制过）：两个版本都保留了，同一项上不同的值列入冲突，请用 `louzu conflicts` 查看。 / {}'s changes {}–{} exist in two versions (a restored or copied database): both were kept; differing values are conflicts to review",
                f.device,
                f.scope,
                if f.ours { "本机" } else { "那边" },
                f.device,
                f.from,
                f.to
            ));
        }
        out
    }

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
    let io = |source| SyncError::Io {
        path: file.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(file).map_err(io)?.len();
    if size > MAX_FILE {
        return Err(SyncError::TooLarge {
            file: file.to_path_buf(),
            detail: format!("{} MiB, more than {} MiB", size >> 20, MAX_FILE >> 20),
        });
    }
    let bytes = std::fs::read(file).map_err(io)?;
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
        None if outer.has_passphrase() => {
            return Err(SyncError::NeedsPassphrase {
                file: file.to_path_buf(),
                sender: sender.name.clone(),
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
    let undecodable = |e: DecodeError| match e {
        DecodeError::TooLarge(detail) => SyncError::TooLarge {
            file: file.to_path_buf(),
            detail,
        },
        DecodeError::Malformed(detail) => malformed(detail),
    };
    let header = codec::read_header(&payload).map_err(undecodable)?;
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
    let file_hash = codec::hex(&Sha256::digest(bytes));
    // A bundle received before was checked then; re-importing it stays cheap.
    let seen_before = store
        .conn()
        .query_row(
            "SELECT 1 FROM bundle_received WHERE hash = ?1",
            [&file_hash],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    // Ranges both sides hold are checked, not trusted: the ones held in full against the
    // bundle's hash, the rest (and those that fail) op by op after decoding.
    let mut suspect: Vec<(String, String, i64, i64)> = Vec::new();
    if !seen_before {
        for r in header.ranges.iter().filter(|r| allowed(&r.scope)) {
            let h = held
                .get(&(r.origin.clone(), r.scope.clone()))
                .copied()
                .unwrap_or(0);
            let end = r.last.min(h);
            if end < r.first || (end == r.last && fork::held_matches(store.conn(), r)?) {
                continue;
            }
            suspect.push((r.origin.clone(), r.scope.clone(), r.first, end));
        }
    }
    // The sender holds more of this device's own ops than it does: restored from a backup
    // (or a copy whose twin went on). Its next edits must not reuse those numbers.
    let me_origin = store.device_id().to_string();
    for (origin, scope, seq) in header
        .clock
        .iter()
        .map(|(o, s, q)| (o, s, *q))
        .chain(header.ranges.iter().map(|r| (&r.origin, &r.scope, r.last)))
    {
        let h = held
            .get(&(origin.clone(), scope.clone()))
            .copied()
            .unwrap_or(0);
        if *origin == me_origin && allowed(scope) && seq > h {
            let e = preview.own_ahead.get_or_insert((h + 1, seq));
            e.1 = e.1.max(seq);
        }
    }
    // A peer found this device's own numbers in two versions.
    let known: HashSet<String> = fork::known(store.conn())?
        .into_iter()
        .map(|f| f.0)
        .collect();
    for (kept_as, origin, scope, from) in &header.forks {
        if *origin == me_origin && !known.contains(kept_as) {
            preview.forks.push(ForkNote {
                device: me.name.clone(),
                scope: scope_label(store, scope),
                from: *from,
                to: *from,
                ours: true,
            });
        }
    }
    if wanted.is_empty()
        && suspect.is_empty()
        && preview.own_ahead.is_none()
        && preview.forks.is_empty()
    {
        // Nothing new, but what the sender holds is still news: later exports to it
        // can leave that out. (Only ever raises what we knew; a re-import changes nothing.)
        if !opts.dry_run {
            trust::learn_peer_clock(store.conn(), &sender.key.sign, &header.clock)?;
        }
        preview.already_held = true;
        return Ok(preview);
    }
    let body = Body::open(&payload).map_err(undecodable)?;
    drop(payload);
    let header = &body.header;
    // Ranges both sides hold that may differ are compared op by op, which needs the ops
    // as values (rare: a restored or copied database); otherwise the ops stay in the
    // body and are read one at a time as they apply.
    let mut found: Vec<fork::Fork> = Vec::new();
    let pending = if suspect.is_empty() {
        Pending::Body(plan(&body, &wanted, &malformed)?)
    } else {
        let mut raw = body
            .index()
            .map_err(&malformed)?
            .iter()
            .map(|at| body.op(at).map(|r| owned(&r)))
            .collect::<Result<Vec<RawOp>, String>>()
            .map_err(&malformed)?;
        for (origin, scope, first, end) in &suspect {
            if let Some(f) = fork::split(store.conn(), &mut raw, origin, scope, *first, *end)? {
                found.push(f.clone());
                let len = f.to - f.from + 1;
                let h = held
                    .get(&(f.kept_as.clone(), f.scope.clone()))
                    .copied()
                    .unwrap_or(0);
                if len > h {
                    wanted.insert((f.kept_as.clone(), f.scope.clone()), (h, len));
                }
                preview.forks.push(ForkNote {
                    device: if f.origin == me_origin {
                        me.name.clone()
                    } else if f.origin == header.sender_device
                        || header.former_origins.contains(&f.origin)
                    {
                        sender.name.clone()
                    } else {
                        trust::origin_name(store, &f.origin)?
                            .unwrap_or_else(|| f.origin.chars().take(8).collect())
                    },
                    scope: scope_label(store, &f.scope),
                    from: f.from,
                    to: f.to,
                    ours: f.origin == me_origin,
                });
            }
        }
        Pending::Raw(to_ops(file, &raw, &wanted, &malformed)?)
    };
    let renumber = preview.own_ahead.is_some() || preview.forks.iter().any(|f| f.ours);
    let (first, last) = pending.clocks();
    let any = pending.len() > 0;
    if any && first < 0 {
        return Err(malformed(format!("a change has clock {first}")));
    }
    // A clock far ahead would win every later edit made here (and freeze the field): the
    // whole bundle is refused before anything is written.
    if any && last > Hlc::now_plus(DAY_MS).0 {
        return Err(SyncError::ClockAhead {
            file: file.to_path_buf(),
            sender: sender.name.clone(),
            clock: datetime_of(last),
            now: datetime_of(Hlc::now_plus(0).0),
        });
    }
    if any {
        preview.dates = Some((date_of(first), date_of(last)));
    }
    let mut device = store.device_id().to_string();
    let author = store.owner_name().to_string();
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    if renumber {
        device = new_origin_in(&tx, &device)?;
        preview.new_origin = true;
    }
    for f in &found {
        fork::remember(&tx, &f.kept_as, &f.origin, &f.scope, f.from)?;
    }
    for (kept_as, origin, scope, from) in &header.forks {
        fork::remember(&tx, kept_as, origin, scope, *from)?;
    }
    // A big import touches the op log, its index, the id table and every record table:
    // a page cache that holds their working set writes each page once, not once per
    // spill. (Back to what it was once the import is done.)
    let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    if pending.len() > 10_000 {
        tx.pragma_update(None, "cache_size", -16_384)?;
    }
    let log = OpLog::new(&tx);
    let mut tally = Tally::default();
    match &pending {
        Pending::Body(order) => {
            for at in order {
                let raw = body.op(at).map_err(&malformed)?;
                let (op, merged) = to_op(file, &raw, &malformed)?;
                tally.apply(&log, &op, merged.as_ref(), &mut preview)?;
            }
        }
        Pending::Raw(ops) => {
            for (op, merged) in ops {
                tally.apply(&log, op, merged.as_ref(), &mut preview)?;
            }
        }
    }
    drop(pending);
    log.finish()?;
    let (created, changed) = (tally.created, tally.changed);
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
        let sender_origins: HashSet<&str> = std::iter::once(header.sender_device.as_str())
            .chain(header.former_origins.iter().map(String::as_str))
            .collect();
        for j in journal {
            if j.building_id.as_deref().is_none_or(allowed) {
                // A change whose author left the name blank is shown under the name this
                // device trusts its maker by, not as a blank next to an id.
                let author = if !j.author.trim().is_empty() {
                    j.author.clone()
                } else if sender_origins.contains(j.origin.as_str()) {
                    sender.name.clone()
                } else {
                    meta_get(&tx, &format!("origin_name.{}", j.origin))?.unwrap_or_default()
                };
                add_change.execute(params![
                    j.id,
                    j.origin,
                    j.hlc,
                    j.at,
                    author,
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
    // The ops' own clocks, checked above, not the header's claim.
    let imported_max = if any { last } else { 0 };
    meta_set(&tx, "hlc", &hlc.max(imported_max).to_string())?;
    for origin in std::iter::once(&header.sender_device).chain(&header.former_origins) {
        if *origin != device && *origin != me_origin {
            meta_set(&tx, &format!("origin_name.{origin}"), &sender.name)?;
        }
    }
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
        if renumber {
            store.reload_origin()?;
        }
    }
    Ok(preview)
}

/// An imported op with the second op it overwrote, if it resolved a conflict.
type Incoming = (Op, Option<(String, i64)>);

/// The ops an import applies, in the order they apply.
enum Pending {
    /// Their places in the bundle's body (the usual case).
    Body(Vec<OpAt>),
    /// Decoded, after a restored or copied range was split off under a fork origin.
    Raw(Vec<Incoming>),
}

impl Pending {
    fn len(&self) -> usize {
        match self {
            Pending::Body(v) => v.len(),
            Pending::Raw(v) => v.len(),
        }
    }

    /// The smallest and largest clock among them (`(i64::MAX, i64::MIN)` if none).
    fn clocks(&self) -> (i64, i64) {
        let fold = |(a, b): (i64, i64), h: i64| (a.min(h), b.max(h));
        match self {
            Pending::Body(v) => v.iter().map(|o| o.hlc).fold((i64::MAX, i64::MIN), fold),
            Pending::Raw(v) => v
                .iter()
                .map(|(o, _)| o.hlc)
                .fold((i64::MAX, i64::MIN), fold),
        }
    }
}

/// What the applied ops did to records, counted for the preview.
#[derive(Default)]
struct Tally {
    existed: HashMap<String, bool>,
    created: HashSet<String>,
    changed: HashSet<String>,
}

impl Tally {
    fn apply(
        &mut self,
        log: &OpLog,
        op: &Op,
        merged: Option<&(String, i64)>,
        preview: &mut Preview,
    ) -> Result<(), SyncError> {
        let was = match self.existed.get(op.entity_id.as_str()) {
            Some(&b) => b,
            None => {
                let b = log
                    .conn
                    .prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", op.entity.name()))?
                    .query_row([&op.entity_id], |_| Ok(()))
                    .optional()?
                    .is_some();
                self.existed.insert(op.entity_id.clone(), b);
                b
            }
        };
        let outcome = apply_linked(log, op, merged, true)?;
        if outcome.applied != Applied::Duplicate {
            preview.new_ops += 1;
        }
        preview.conflicts += outcome.conflicts as u64;
        if outcome.applied == Applied::Won {
            let set = if was {
                &mut self.changed
            } else {
                &mut self.created
            };
            if !set.contains(op.entity_id.as_str()) {
                set.insert(op.entity_id.clone());
            }
        }
        Ok(())
    }
}

/// An op read from the body, owned (for [`fork::split`]).
fn owned(r: &OpRef) -> RawOp {
    RawOp {
        origin: r.origin.to_string(),
        scope: r.scope.to_string(),
        seq: r.seq,
        hlc: r.hlc,
        change_id: r.change_id.to_string(),
        entity: r.entity.to_string(),
        entity_id: r.entity_id.to_string(),
        field: r.field.to_string(),
        value: r.value.to_string(),
        prev: r.prev.map(|(o, s)| (o.to_string(), s)),
        merged: r.merged.map(|(o, s)| (o.to_string(), s)),
    }
}

/// The ops we want, checked to be complete, in the order they apply: by (hlc, origin) so
/// each one's history is applied before it. Only their places in the body are held.
fn plan(
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

/// Checks and converts the ops we want, sorted by (hlc, origin) so each one's history is
/// applied before it.
fn to_ops(
    file: &Path,
    raw: &[RawOp],
    wanted: &HashMap<(String, String), (i64, i64)>,
    malformed: &dyn Fn(String) -> SyncError,
) -> Result<Vec<Incoming>, SyncError> {
    let mut out = Vec::new();
    let mut seen: HashMap<(&str, &str), i64> = HashMap::new();
    for r in raw {
        let Some(&(held, last)) = wanted.get(&(r.origin.clone(), r.scope.clone())) else {
            continue;
        };
        if r.seq <= held || r.seq > last {
            continue;
        }
        let n = seen.entry((&r.origin, &r.scope)).or_insert(0);
        *n += 1;
        let entity = EntityKind::parse(&r.entity).ok_or_else(|| SyncError::Unknown {
            file: file.to_path_buf(),
            detail: format!("record kind {}", r.entity),
        })?;
        if entity.field(&r.field).is_none() {
            return Err(SyncError::Unknown {
                file: file.to_path_buf(),
                detail: format!("field {} of {}", r.field, entity.en()),
            });
        }
        let value = serde_json::from_str(&r.value)
            .map_err(|e| malformed(format!("value of {}: {e}", r.field)))?;
        out.push((
            Op {
                origin: r.origin.clone(),
                scope: r.scope.clone(),
                seq: r.seq,
                hlc: r.hlc,
                change_id: r.change_id.clone(),
                entity,
                entity_id: r.entity_id.clone(),
                field: r.field.clone(),
                value,
                prev: r.prev.clone(),
            },
            r.merged.clone(),
        ));
    }
    // Every wanted range must be there in full, or the clock would claim ops we lack.
    for ((origin, scope), (held, last)) in wanted {
        let got = seen
            .get(&(origin.as_str(), scope.as_str()))
            .copied()
            .unwrap_or(0);
        if got != last - held {
            return Err(malformed(format!(
                "range {origin}/{scope} has {got} of {} ops",
                last - held
            )));
        }
    }
    out.sort_by(|(a, _), (b, _)| (a.hlc, &a.origin, a.seq).cmp(&(b.hlc, &b.origin, b.seq)));
    Ok(out)
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

/// The Shanghai date and time of an HLC reading, for messages: `2100-01-01 08:00`.
pub fn datetime_of(hlc: i64) -> String {
    jiff::Timestamp::from_millisecond(hlc >> 16)
        .map(|t| {
            t.to_zoned(crate::domain::date::shanghai())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| format!("公元 {} 年以后 / after year 9999", 9999))
}

/// The Shanghai date of an HLC reading.
pub fn date_of(hlc: i64) -> String {
    jiff::Timestamp::from_millisecond(hlc >> 16)
        .map(|t| {
            crate::domain::date::format_date(t.to_zoned(crate::domain::date::shanghai()).date())
        })
        .unwrap_or_default()
}
